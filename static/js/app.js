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

// Keeping typed words. A form sent after the session ended (the idle limit passed while a
// long note was written, or the device slept) is not taken: the answer is "this form had
// expired" or the sign-in page, and what was typed would be lost. So as a POST form is
// sent by someone signed in, what they typed into it is kept in this tab
// (sessionStorage), encrypted (AES-GCM) under a key the server writes only into that
// person's own pages (<meta name="typed-words-key">): the sign-in page, and anyone else's
// pages, cannot read it. If the next page says the form was not taken (the sign-in and
// error pages carry <meta name="form-not-taken">), it waits; the first page after that
// whose key opens it (the same person, signed in again) and that has a form sent to the
// same address gets it back in that form's empty fields and says so. Any other next page
// means the form was taken, and it is forgotten; so is what another person's key cannot
// open, anything older than an hour, and anything still waiting when the person sends
// another form (signing out, say).
// Passwords, files and hidden fields are never kept; without WebCrypto (a page not served
// over https) nothing is.
(() => {
  const KEY = "voice_app.typed_words";
  const WAIT_MS = 60 * 60 * 1000;
  const TYPED = new Set(["text", "search", "email", "tel", "url", "number", "date", "datetime-local", "time"]);
  const meta = (name) => document.querySelector(`meta[name="${name}"]`);
  const typed = (element) =>
    element.name &&
    !element.disabled &&
    (element instanceof HTMLTextAreaElement || (element instanceof HTMLInputElement && TYPED.has(element.type)));
  const save = (kept) => {
    try {
      sessionStorage.setItem(KEY, JSON.stringify(kept));
    } catch {
      // Storage full or refused: the form is sent as it always was.
    }
  };
  const forget = () => sessionStorage.removeItem(KEY);
  const bytes = (base64) => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const base64 = (data) => btoa(String.fromCharCode(...new Uint8Array(data)));
  // The person's key, imported once per page (it cannot be taken back out of WebCrypto).
  const ownKey = (() => {
    const raw = meta("typed-words-key")?.content;
    if (!raw || !window.crypto?.subtle) return null;
    return crypto.subtle.importKey("raw", bytes(raw), "AES-GCM", false, ["encrypt", "decrypt"]).catch(() => null);
  })();

  const seal = (form, fields) => {
    const plain = new TextEncoder().encode(JSON.stringify({ action: form.action, fields }));
    const iv = crypto.getRandomValues(new Uint8Array(12));
    return ownKey
      .then((key) => key && crypto.subtle.encrypt({ name: "AES-GCM", iv }, key, plain))
      .then((sealed) => sealed && save({ at: Date.now(), waiting: false, iv: base64(iv), sealed: base64(sealed) }))
      .catch(() => forget());
  };

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || form.method.toLowerCase() !== "post") return;
    if (form.dataset.wordsKept) {
      delete form.dataset.wordsKept; // sent again below, its words already kept
      return;
    }
    // The sign-in form itself (nobody signed in, so no key): what waits, waits for it.
    if (event.defaultPrevented || !ownKey) return;
    const fields = [...form.elements].filter(typed).map((element) => [element.name, element.value]);
    if (!fields.some(([, value]) => value.trim())) {
      forget(); // another form sent (signing out, say): nothing typed is left behind
      return;
    }
    if (typeof form.requestSubmit !== "function") {
      seal(form, fields); // an older browser: kept if sealed before the page goes
      return;
    }
    // Encrypting is asynchronous (WebCrypto), and on a busy device the answer to the form
    // could replace the page first, and the words would not be kept: so the form waits
    // for it (a fraction of a millisecond), then is sent again as it was, by the same
    // button (its name, value and any formaction kept). A second tap meanwhile is still
    // refused by the double-tap guard above.
    event.preventDefault();
    const submitter = event.submitter && event.submitter.form === form ? event.submitter : null;
    const sendAgain = () => {
      form.dataset.wordsKept = "true";
      delete form.dataset.sent; // the same sending, not a second one
      try {
        form.requestSubmit(submitter);
      } catch {
        form.requestSubmit(); // the button went away meanwhile
      }
    };
    // From a task of its own: Chromium ignores requestSubmit() called straight from the
    // continuation of a WebCrypto promise (no submit event, nothing sent).
    seal(form, fields).finally(() => setTimeout(sendAgain, 0));
  });

  // A message at the top of a form or page, read out by screen readers as it appears.
  const notice = (text) => {
    const paragraph = document.createElement("p");
    paragraph.className = "flash flash--info";
    paragraph.setAttribute("role", "status");
    paragraph.textContent = text;
    return paragraph;
  };

  const putBack = (form, fields) => {
    for (const [name, value] of fields) {
      const element = [...form.elements].find((e) => e.name === name && typed(e));
      if (!element || element.value.trim()) continue;
      element.value = value;
      element.dispatchEvent(new Event("input", { bubbles: true }));
    }
    form.prepend(notice(meta("kept-words-notice")?.content || ""));
  };

  const bringBack = async (kept) => {
    const key = ownKey && (await ownKey);
    if (!key) return forget();
    let opened;
    try {
      const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: bytes(kept.iv) }, key, bytes(kept.sealed));
      opened = JSON.parse(new TextDecoder().decode(plain));
    } catch {
      return forget(); // sealed for someone else (or under an older secret)
    }
    const form = [...document.forms].find((f) => f.method.toLowerCase() === "post" && f.action === opened.action);
    if (form) {
      putBack(form, opened.fields);
      forget();
    }
  };

  // Said on the page that did not take the form, so nobody fears their words are gone.
  const tellWordsWait = () => {
    const text = meta("words-waiting-notice")?.content;
    const main = document.querySelector("main");
    if (text && main) main.prepend(notice(text));
  };

  let kept = null;
  try {
    kept = JSON.parse(sessionStorage.getItem(KEY) || "null");
  } catch {
    forget();
  }
  if (!kept) return;
  if (Date.now() - kept.at > WAIT_MS) {
    forget();
  } else if (meta("form-not-taken")) {
    save({ ...kept, waiting: true });
    tellWordsWait();
  } else if (!kept.waiting) {
    forget(); // the form was taken
  } else {
    bringBack(kept);
  }
})();

// Still here. The session ends after a while without a request (SESSION_IDLE_MINUTES),
// so that a device left alone does not stay signed in; but someone writing a long note
// makes no request while they type. While a signed-in person types into a form, the page
// tells the server so (<meta name="still-here">), at most once every third of the limit,
// and the session's idle clock starts again. A page nobody types into still ends its
// session on time; an ended session is not revived (the server answers 401).
(function stillHere() {
  const meta = document.querySelector('meta[name="still-here"]');
  if (!meta) return;
  const everyMs = Number(meta.dataset.everySeconds) * 1000;
  let lastContact = Date.now(); // this page's own request
  document.addEventListener("input", (event) => {
    if (!(event.target instanceof Element) || !event.target.closest("form")) return;
    if (Date.now() - lastContact < everyMs) return;
    lastContact = Date.now();
    window.voiceApp.fetch(meta.content, { method: "POST" }).catch(() => {});
  });
})();
