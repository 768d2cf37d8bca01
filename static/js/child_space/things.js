// What the child has shared: new items added to the list, voice notes followed until their
// words are ready, then read back ("Is this what you said?") for the child to confirm or
// correct. A machine draft is always marked "not checked yet"; words go in with textContent.

const POLL_MS = 1500;
const SLOW_POLL_MS = 10000;
const SLOW_AFTER_MS = 3 * 60 * 1000;
const WAITING = new Set(["queued", "running"]);

export function fill(text, values) {
  return text.replace(/%\((\w+)\)s/g, (_, name) => (name in values ? String(values[name]) : ""));
}

function slot(root, name) {
  return root.querySelector(`[data-slot="${name}"]`);
}

export class Things {
  constructor({ section, strings, pictures, statusUrl, confirmUrl, reader, band, announce, onEnded, onReadBack }) {
    this.section = section;
    this.list = section.querySelector("[data-things]");
    this.empty = section.querySelector("[data-things-empty]");
    this.strings = strings;
    this.pictures = pictures;
    this.statusUrl = statusUrl;
    this.confirmUrl = confirmUrl;
    this.reader = reader;
    this.band = band;
    this.announce = announce;
    this.onEnded = onEnded;
    this.onReadBack = onReadBack || (() => {});
    this.polling = new Set();
    this.list.addEventListener("click", (event) => this.click(event));
  }

  /** The items the server rendered: transcripts, and polling for those still being made. */
  start() {
    for (const item of this.list.querySelectorAll("li[data-id]")) {
      let transcript = null;
      try {
        transcript = JSON.parse(item.dataset.transcript || "null");
      } catch {
        transcript = null;
      }
      this.showTranscript(item, transcript, { fresh: false });
    }
  }

  url(template, id) {
    return template.replace("__ID__", encodeURIComponent(id));
  }

  /** A contribution the server has just stored; `fields` are what the child chose here. */
  add(data, fields) {
    if (this.list.querySelector(`li[data-id="${CSS.escape(String(data.id))}"]`)) return;
    const item = document.getElementById("tpl-thing").content.firstElementChild.cloneNode(true);
    const kind = data.kind || fields.kind;
    item.dataset.id = data.id;
    item.dataset.kind = kind;
    item.classList.add(`cs-thing--${kind}`);
    const unsafe = fields.unsafe === "1";
    if (unsafe) item.classList.add("cs-thing--unsafe");
    const icons = { text: "words", voice: "mic", drawing: "draw", feeling: "face-happy", house: "houses", scale: "scale" };
    slot(item, "icon").src = this.pictures[unsafe ? "hand-dark" : icons[kind]] || this.pictures[icons[kind]] || "";
    slot(item, "title").textContent = unsafe ? this.strings["unsafe-title"] : this.strings[`kind-${kind}`] || "";
    const time = item.querySelector("time[data-time]");
    // The server's words for the date: the child's language's own format (en_GB in English).
    time.setAttribute("datetime", data.created_at || "");
    time.textContent = data.created_label || "";
    if (kind === "voice" && data.media_url) {
      const audio = slot(item, "audio");
      audio.src = data.media_url;
      audio.hidden = false;
    }
    if (kind === "drawing" && data.thumbnail_url) {
      const picture = slot(item, "picture");
      picture.src = data.thumbnail_url;
      picture.alt = fields.text ? fill(this.strings["drawing-alt"], { caption: fields.text }) : this.strings["kind-drawing"];
      picture.hidden = false;
    }
    const choice = this.choiceOf(kind, fields);
    if (choice) {
      slot(item, "choice-icon").src = choice.picture || "";
      slot(item, "choice-label").textContent = choice.label;
      slot(item, "choice").hidden = false;
    }
    const text = data.text ?? fields.text;
    if (text) {
      slot(item, "text").textContent = text;
      slot(item, "text").hidden = false;
    }
    if (fields.sharing && this.strings[`sharing-${fields.sharing}`]) {
      const pictures = { my_worker: "share-worker", my_family_too: "share-family", my_meeting: "share-meeting" };
      // "my_family_too:<id>": the child chose one grown-up in the family.
      const picture = fields.sharing.includes(":") ? "share-one" : pictures[fields.sharing];
      slot(item, "sharing-icon").src = this.pictures[picture] || "";
      slot(item, "sharing-label").textContent = fill(this.strings["sharing-value"], {
        who: this.strings[`sharing-${fields.sharing}`],
      });
      slot(item, "sharing").hidden = false;
    }
    this.list.prepend(item);
    this.empty.hidden = true;
    this.showTranscript(item, data.transcript, { fresh: true });
  }

  choiceOf(kind, fields) {
    if (kind === "feeling" && fields.feeling) {
      return { picture: this.pictures[`face-${fields.feeling}`], label: this.strings[`feeling-${fields.feeling}`] };
    }
    if (kind === "house" && fields.house) {
      return { picture: this.pictures[`house-${fields.house}`], label: this.strings[`house-${fields.house}`] };
    }
    if (kind === "scale" && fields.scale !== undefined && fields.scale !== "") {
      return { picture: this.pictures.scale, label: fill(this.strings["scale-value"], { n: fields.scale }) };
    }
    return null;
  }

  /** Draw the transcript part of an item for its state, and follow it while it is being made. */
  showTranscript(item, transcript, { fresh }) {
    const holder = item.querySelector("[data-transcript-slot]");
    if (!transcript) {
      holder.replaceChildren();
      return;
    }
    const status = transcript.status;
    const which = WAITING.has(status) ? "waiting" : status === "draft" ? "draft" : status === "failed" ? "failed" : "confirmed";
    if (holder.dataset.showing === which && which === "waiting") return;
    const part = document.getElementById(`tpl-transcript-${which}`).content.firstElementChild.cloneNode(true);
    holder.dataset.showing = which;
    if (which === "draft" || which === "confirmed") slot(part, "text").textContent = transcript.text || "";
    if (which === "draft") {
      slot(part, "doubt").hidden = !transcript.doubtful;
      slot(part, "edit-text").value = transcript.text || "";
      if (this.reader.available) part.querySelector('[data-action="read-transcript"]').hidden = false;
    }
    const textarea = part.querySelector('[data-slot="edit-text"]');
    if (textarea) {
      const id = `transcript-edit-${item.dataset.id}`;
      textarea.id = id;
      slot(part, "edit-label").setAttribute("for", id);
    }
    holder.replaceChildren(part);
    if (which === "waiting") {
      this.poll(item);
    } else if (fresh && which === "draft") {
      // Read it back: the child hears what the machine thinks they said.
      this.announce(`${slot(part, "question").textContent} ${transcript.text || ""}`);
      if (this.band === "early") this.readTranscript(part);
      this.onReadBack(item, transcript.text || "");
    }
  }

  readTranscript(part) {
    const question = slot(part, "question").textContent;
    const text = slot(part, "text").textContent;
    this.reader.speak(`${question} ${text}`);
  }

  poll(item) {
    const id = item.dataset.id;
    if (this.polling.has(id)) return;
    this.polling.add(id);
    const began = Date.now();
    const next = () => setTimeout(check, Date.now() - began > SLOW_AFTER_MS ? SLOW_POLL_MS : POLL_MS);
    const check = async () => {
      if (!item.isConnected) {
        this.polling.delete(id);
        return;
      }
      let response;
      try {
        response = await window.voiceApp.fetch(this.url(this.statusUrl, id), { headers: { Accept: "application/json" } });
      } catch {
        next(); // offline for now: keep asking
        return;
      }
      if (response.status === 401 || response.status === 403) {
        this.polling.delete(id);
        this.onEnded();
        return;
      }
      const data = response.ok ? await response.json().catch(() => null) : null;
      const transcript = data?.transcript;
      if (!transcript || WAITING.has(transcript.status)) {
        next();
        return;
      }
      this.polling.delete(id);
      this.showTranscript(item, transcript, { fresh: true });
    };
    next();
  }

  click(event) {
    const button = event.target.closest("button[data-action]");
    if (!button) return;
    const item = button.closest("li[data-id]");
    const part = button.closest(".cs-transcript");
    if (!item || !part) return;
    const action = button.dataset.action;
    if (action === "read-transcript") this.readTranscript(part);
    if (action === "transcript-yes") this.confirm(item, part, slot(part, "text").textContent, button);
    if (action === "transcript-change") {
      slot(part, "edit").hidden = false;
      slot(part, "actions").hidden = true;
      slot(part, "edit-text").focus();
    }
    if (action === "transcript-save") this.confirm(item, part, slot(part, "edit-text").value, button);
  }

  async confirm(item, part, text, button) {
    const error = slot(part, "error");
    error.hidden = true;
    if (!text.trim()) {
      error.textContent = this.strings["nothing-written"];
      error.hidden = false;
      return;
    }
    button.disabled = true;
    let response;
    try {
      response = await window.voiceApp.fetch(this.url(this.confirmUrl, item.dataset.id), {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ text }),
      });
    } catch {
      response = null;
    }
    button.disabled = false;
    if (response && (response.status === 401 || response.status === 403)) {
      this.onEnded();
      return;
    }
    const data = response ? await response.json().catch(() => null) : null;
    if (response && response.ok && data?.transcript) {
      item.classList.remove("is-read-back");
      this.showTranscript(item, data.transcript, { fresh: false });
      this.announce(this.strings["words-saved"]);
      item.querySelector(".cs-transcript")?.setAttribute("tabindex", "-1");
      item.querySelector(".cs-transcript")?.focus();
      return;
    }
    error.textContent = data?.error || this.strings["words-not-saved"];
    error.hidden = false;
  }
}
