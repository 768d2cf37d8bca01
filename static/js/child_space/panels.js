// One panel per way of saying something: voice, drawing, and the form-like ones (words,
// feelings, Three Houses, the 0-10 scale). Each makes outbox fields from what the child
// did, checks there is something to send and who may see it, and hands it to the outbox.
// In the early band a panel is two screens: make it, then "who can see this?" and Send.
// This file holds what they share and the form-like panels; voice_panel.js and
// drawing_panel.js hold the other two.

/** Something missing before sending; its message is shown to the child. */
export class Problem extends Error {}

export class Panel {
  constructor(element, { band, strings, outbox, announce, home, reader }) {
    this.element = element;
    this.reader = reader;
    this.name = element.dataset.panel;
    this.band = band;
    this.strings = strings;
    this.outbox = outbox;
    this.announce = announce;
    this.home = home;
    this.heading = element.querySelector(".cs-prompt");
    this.status = element.querySelector("[data-panel-status]");
    this.nextButton = element.querySelector("[data-action='next']");
    this.sendButton = element.querySelector("[data-action='send']");
    this.sharingError = element.querySelector("[data-error='sharing']");
    this.lastSent = null;
    element.querySelector("[data-action='back']")?.addEventListener("click", () => this.back());
    // Keep the words under the Send button true: "saved", then "sent" or "waiting".
    outbox.addEventListener("sent", ({ detail }) => {
      if (detail.item.client_id === this.lastSent) this.say(strings.sent);
    });
    outbox.addEventListener("waiting", ({ detail }) => {
      if (detail.item.client_id === this.lastSent) this.say(strings.waiting);
    });
    outbox.addEventListener("held", ({ detail }) => {
      if (detail.item.client_id === this.lastSent) {
        this.say(`${strings.held} ${detail.item.error || ""}`, { problem: true });
      }
    });
    this.nextButton?.addEventListener("click", () => this.next());
    this.sendButton?.addEventListener("click", () => this.send());
    element.addEventListener("change", (event) => {
      if (event.target.name?.startsWith("sharing-")) this.sharingError.hidden = true;
    });
    // Early band and symbols mode: a picture touched is a picture named (every touch, even
    // of the one already chosen), for children who do not read yet.
    element.addEventListener("click", (event) => {
      if (!event.target.matches?.(".cs-choice__input")) return;
      const label = event.target.closest(".cs-choice")?.querySelector(".cs-choice__label");
      if ((this.band === "early" || this.reader.autoSpeak) && label) this.reader.speak(label.textContent);
    });
    this.setStage("make");
  }

  /** Is there something to send yet? (Shows "Next" in the early band.) */
  get ready() {
    return true;
  }

  /** Has the child made something here that is not in the outbox yet? */
  get dirty() {
    return false;
  }

  enter() {
    this.setStage("make");
    this.status.textContent = "";
  }

  leave() {}

  back() {
    if (this.band === "early" && this.stage === "share") {
      this.setStage("make");
      this.heading.focus();
    } else {
      this.home();
    }
  }

  async next() {
    try {
      await this.check();
    } catch (problem) {
      if (problem instanceof Problem) {
        this.say(problem.message, { problem: true });
        return;
      }
      throw problem;
    }
    this.setStage("share");
    this.element.querySelector(".cs-sharing input:checked, .cs-sharing input")?.focus();
    this.reader.speakElement(this.element.querySelector(".cs-sharing legend"));
  }

  setStage(stage) {
    this.stage = stage;
    this.element.dataset.stage = stage;
    if (this.band !== "early") {
      if (this.nextButton) this.nextButton.hidden = true;
      return;
    }
    for (const step of this.element.querySelectorAll("[data-step]")) {
      step.hidden = step.dataset.step !== stage;
    }
    this.updateNext();
  }

  updateNext() {
    if (this.band === "early" && this.nextButton) {
      this.nextButton.hidden = this.stage !== "make" || !this.ready;
    }
  }

  say(message, { problem = false } = {}) {
    this.status.textContent = message;
    this.status.classList.toggle("cs-panel__status--problem", problem);
  }

  sharing() {
    return this.element.querySelector(".cs-sharing input:checked")?.value || null;
  }

  /** {fields, media} for the outbox, or throw a Problem saying what is missing. */
  async collect() {
    return { fields: {}, media: null };
  }

  /** Throw a Problem saying what is missing, as ``collect`` would ("Next" asks only this).
   * A panel whose ``collect`` is costly (the drawing's PNG) checks without building it. */
  async check() {
    await this.collect();
  }

  /** Back to empty after sending (sharing returns to its starting point). */
  reset() {
    for (const input of this.element.querySelectorAll(".cs-sharing input")) {
      input.checked = input.hasAttribute("data-default");
    }
  }

  /** One send per tap: the button is off from the first tap until the item is kept (a
   * second tap while the picture is being prepared would otherwise send it twice). */
  async send() {
    this.sendButton.disabled = true; // a disabled button gets no clicks
    try {
      await this.sendOnce();
    } finally {
      this.sendButton.disabled = false;
    }
  }

  async sendOnce() {
    this.status.textContent = "";
    this.sharingError.hidden = true;
    let content;
    try {
      content = await this.collect();
    } catch (problem) {
      if (!(problem instanceof Problem)) throw problem;
      this.say(problem.message, { problem: true });
      if (this.band === "early") this.setStage("make");
      return;
    }
    const sharing = this.sharing();
    if (!sharing) {
      this.sharingError.hidden = false;
      this.element.querySelector(".cs-sharing input")?.focus();
      return;
    }
    try {
      const item = await this.outbox.add({ ...content.fields, kind: this.name, sharing }, content.media);
      this.lastSent = item.client_id;
    } catch {
      this.say(this.strings["did-not-work"], { problem: true });
      return;
    }
    this.reset();
    this.setStage("make");
    this.announce(this.strings.saved);
    if (this.band === "early") {
      this.reader.speak(this.strings.saved);
      this.home();
    } else {
      this.say(this.strings.saved);
      this.heading.focus();
    }
  }
}

/** Words, feelings, Three Houses and the 0-10 scale: fields read from [data-field]. */
export class FormPanel extends Panel {
  constructor(element, options) {
    super(element, options);
    this.required = { text: "text", feeling: "feeling", house: "house", scale: "scale" }[this.name];
    element.addEventListener("input", () => this.updateNext());
    element.addEventListener("change", () => this.updateNext());
  }

  value(field) {
    const inputs = [...this.element.querySelectorAll(`[data-field="${field}"]`)];
    const radios = inputs.filter((input) => input.type === "radio");
    if (radios.length) return radios.find((input) => input.checked)?.value ?? "";
    return inputs[0]?.value ?? "";
  }

  get ready() {
    return this.value(this.required).trim() !== "";
  }

  get dirty() {
    return [...this.element.querySelectorAll("[data-field]")].some((input) =>
      input.type === "radio" ? input.checked : input.value.trim() !== "",
    );
  }

  async collect() {
    if (!this.ready) {
      const missing = {
        text: "nothing-written",
        feeling: "choose-feeling",
        house: "choose-house",
        scale: "choose-scale",
      }[this.required];
      throw new Problem(this.strings[missing]);
    }
    const fields = { text: this.value("text") };
    if (this.required !== "text") fields[this.required] = this.value(this.required);
    return { fields, media: null };
  }

  reset() {
    super.reset();
    for (const input of this.element.querySelectorAll("[data-field]")) {
      if (input.type === "radio") input.checked = false;
      else input.value = "";
    }
  }
}
