// The drawing panel: colours, brushes, eraser, undo, "start again", a caption, send.

import { Panel, Problem } from "./panels.js";
import { DrawingPad } from "./drawing.js";

/** Draw, then send the PNG with an optional caption. */
export class DrawingPanel extends Panel {
  constructor(element, options) {
    super(element, options);
    this.pad = new DrawingPad(element.querySelector("[data-canvas]"));
    this.caption = element.querySelector("[data-field='text']");
    this.undoButton = element.querySelector("[data-action='undo']");
    this.clearButton = element.querySelector("[data-action='clear']");
    this.lastSize = 12;
    for (const chip of element.querySelectorAll("[data-colour]")) {
      chip.style.backgroundColor = chip.dataset.colour; // CSSOM, allowed by the CSP
    }
    element.addEventListener("change", (event) => {
      const input = event.target;
      if (input.name === "drawing-colour") {
        this.pad.colour = input.value;
        if (this.pad.eraser) this.chooseSize(this.lastSize); // a colour means drawing again
      }
      if (input.name === "drawing-size") this.chooseSize(input.value);
    });
    this.undoButton.addEventListener("click", () => this.pad.undo());
    this.clearButton.addEventListener("click", () => {
      this.pad.clear();
      this.say(this.strings.cleared);
    });
    this.pad.addEventListener("change", () => {
      this.undoButton.disabled = !this.pad.canUndo;
      this.clearButton.disabled = this.pad.isEmpty;
      this.updateNext();
    });
    const checked = element.querySelector("input[name='drawing-colour']:checked");
    if (checked) this.pad.colour = checked.value;
  }

  chooseSize(value) {
    const eraser = value === "eraser";
    this.pad.eraser = eraser;
    if (!eraser) {
      this.lastSize = Number(value);
      this.pad.size = this.lastSize;
    }
    const radio = this.element.querySelector(`input[name='drawing-size'][value='${value}']`);
    if (radio) radio.checked = true;
  }

  get ready() {
    return this.pad && !this.pad.isEmpty;
  }

  get dirty() {
    return !this.pad.isEmpty || this.caption.value.trim() !== "";
  }

  enter() {
    super.enter();
    requestAnimationFrame(() => this.pad.fit()); // once it is on screen and has a size
  }

  setStage(stage) {
    super.setStage(stage);
    if (stage === "make" && this.pad) requestAnimationFrame(() => this.pad.fit());
  }

  /** Something drawn? Without encoding the PNG, which ``collect`` does once, at Send. */
  async check() {
    if (this.pad.isEmpty) throw new Problem(this.strings["nothing-drawn"]);
  }

  async collect() {
    await this.check();
    const blob = await this.pad.toBlob();
    return { fields: { text: this.caption.value }, media: { blob, filename: "drawing.png" } };
  }

  reset() {
    super.reset();
    this.pad.reset();
    this.caption.value = "";
  }
}
