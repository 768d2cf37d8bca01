// Shared helpers for every page. No inline scripts: the Content-Security-Policy forbids them.
"use strict";

window.voiceApp = {
  /** The CSRF token the server put in <meta name="csrf-token">. */
  csrfToken() {
    const meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  },

  /** fetch() that always sends the CSRF token and the session cookie. */
  fetch(url, options = {}) {
    const headers = new Headers(options.headers || {});
    headers.set("X-CSRFToken", this.csrfToken());
    return fetch(url, { credentials: "same-origin", ...options, headers });
  },
};
