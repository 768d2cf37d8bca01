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

// A form posted twice by a double click, or a second tap on a slow link, would store what
// it says twice, and records here are append-only: once a POST form is on its way, the
// page ignores it being sent again, until the page is shown anew (back and forward) or ten
// seconds have passed (a download leaves the page where it was). A page script that sends
// a form its own way (it prevents the default) is left to do so.
// What this page cannot see (the answer lost on a weak link, then Send again, or the
// browser sending it again) the server catches: the form carries a random id from its
// first sending on, and the same form sent again writes nothing (voice_app.core.sent_once).
(() => {
  const randomId = () => {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  };
  const giveId = (form) => {
    if (form.querySelector('input[name="submission_id"]')) return;
    const field = document.createElement("input");
    field.type = "hidden";
    field.name = "submission_id";
    field.value = randomId();
    form.append(field);
  };
  const isPost = (form) => form instanceof HTMLFormElement && form.method.toLowerCase() === "post";
  document.addEventListener(
    "submit",
    (event) => {
      if (isPost(event.target) && event.target.dataset.sent) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    },
    true,
  );
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!isPost(form) || event.defaultPrevented || (form.target && form.target !== "_self")) return;
    giveId(form);
    form.dataset.sent = "true";
    setTimeout(() => delete form.dataset.sent, 10000);
  });
  window.addEventListener("pageshow", (event) => {
    if (!event.persisted) return;
    for (const form of document.querySelectorAll("form[data-sent]")) delete form.dataset.sent;
  });
})();
