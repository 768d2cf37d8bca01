// A drawing pad for fingers, pens and mice: pointer events with capture, pen pressure for
// line width, an eraser, undo (every stroke and every "start again" is kept, so both can be
// undone) and a PNG export. The canvas keeps one size once made, at most 2048x1536 device
// pixels; CSS scales it to the screen and pointer positions are scaled back.

const MAX_WIDTH = 2048;
const MAX_HEIGHT = 1536;
const PAPER = "#ffffff";

export class DrawingPad extends EventTarget {
  constructor(canvas) {
    super();
    this.canvas = canvas;
    this.context = null;
    this.history = []; // strokes, and {clear: true} markers
    this.current = null;
    this.colour = "#1d2330";
    this.size = 12; // in CSS pixels
    this.eraser = false;
    this.sized = false;
    canvas.addEventListener("pointerdown", (event) => this.down(event));
    canvas.addEventListener("pointermove", (event) => this.move(event));
    canvas.addEventListener("pointerup", (event) => this.up(event));
    canvas.addEventListener("pointercancel", (event) => this.up(event));
    canvas.addEventListener("lostpointercapture", (event) => this.up(event));
    // No page scroll, zoom or long-press menu while drawing (touch-action: none is in the CSS too).
    canvas.addEventListener("touchstart", (event) => event.preventDefault(), { passive: false });
    canvas.addEventListener("contextmenu", (event) => event.preventDefault());
    // A phone turned on its side: an empty canvas takes the new shape of the screen.
    window.addEventListener("resize", () => {
      if (this.sized && this.history.length === 0 && this.canvas.clientWidth > 0) {
        this.sized = false;
        this.fit();
      }
    });
  }

  /** Size the canvas to fit the space it has on this screen. Call when it becomes visible. */
  fit() {
    if (this.sized || this.canvas.clientWidth === 0) return; // not on screen yet
    const cssWidth = Math.max(200, this.canvas.clientWidth);
    // As tall as the screen has room for below the sticky header and the tools (the panel
    // is scrolled to just under the header), so tools and canvas share one screen: on a
    // phone held upright a little taller than wide, elsewhere 4:3 at most.
    const header = document.querySelector(".cs-header");
    const panel = this.canvas.closest(".cs-panel");
    const above = panel ? this.canvas.getBoundingClientRect().top - panel.getBoundingClientRect().top : 0;
    const room = window.innerHeight - (header ? header.getBoundingClientRect().height : 0) - above - 20;
    const shape = cssWidth < 480 ? 1.15 : 0.75;
    const cssHeight = Math.max(160, Math.min(room, cssWidth * shape));
    const ratio = window.devicePixelRatio || 1;
    let width = cssWidth * ratio;
    let height = cssHeight * ratio;
    const shrink = Math.min(1, MAX_WIDTH / width, MAX_HEIGHT / height);
    width = Math.round(width * shrink);
    height = Math.round(height * shrink);
    this.canvas.width = width;
    this.canvas.height = height;
    // Opaque: the paper is filled and the eraser paints paper. Chromium then sends an RGB
    // PNG, which the server stores without an alpha check or conversion (about 20 ms less).
    this.context = this.canvas.getContext("2d", { alpha: false });
    this.sized = true;
    this.redraw();
  }

  get isEmpty() {
    let strokes = 0;
    for (const entry of this.history) strokes = entry.clear ? 0 : strokes + 1;
    return strokes === 0;
  }

  get canUndo() {
    return this.history.length > 0;
  }

  /** Canvas pixels per CSS pixel, as the canvas is shown now (inside its border). */
  scale() {
    return this.canvas.clientWidth > 0 ? this.canvas.width / this.canvas.clientWidth : 1;
  }

  point(event) {
    const rect = this.canvas.getBoundingClientRect();
    const left = rect.left + this.canvas.clientLeft;
    const top = rect.top + this.canvas.clientTop;
    // Pen pressure where there is any; mice report 0.5 and many fingers 0 or 1.
    const pressured = event.pointerType === "pen" && event.pressure > 0;
    return {
      x: (event.clientX - left) * this.scale(),
      y: (event.clientY - top) * (this.canvas.height / (this.canvas.clientHeight || 1)),
      w: pressured ? 0.4 + event.pressure * 1.2 : 1,
    };
  }

  down(event) {
    // A finger that lands before the frame that sizes the canvas (a busy phone, a page just
    // shown) sizes it now rather than losing the stroke.
    if (!this.context) this.fit();
    if (!this.context || (event.pointerType === "mouse" && event.button !== 0)) return;
    if (this.current) return; // one finger at a time
    event.preventDefault();
    try {
      // Keep the stroke even when the finger slides off the canvas.
      this.canvas.setPointerCapture(event.pointerId);
    } catch {
      /* a pointer the browser no longer tracks: draw without capture */
    }
    this.current = {
      pointerId: event.pointerId,
      colour: this.eraser ? PAPER : this.colour,
      width: this.size * this.scale(),
      points: [this.point(event)],
    };
    this.drawDot(this.current);
  }

  move(event) {
    const stroke = this.current;
    if (!stroke || event.pointerId !== stroke.pointerId) return;
    event.preventDefault();
    const events = event.getCoalescedEvents ? event.getCoalescedEvents() : [];
    for (const each of events.length ? events : [event]) {
      const next = this.point(each);
      this.drawSegment(stroke, stroke.points[stroke.points.length - 1], next);
      stroke.points.push(next);
    }
  }

  up(event) {
    const stroke = this.current;
    if (!stroke || event.pointerId !== stroke.pointerId) return;
    this.current = null;
    if (this.canvas.hasPointerCapture?.(event.pointerId)) this.canvas.releasePointerCapture(event.pointerId);
    this.history.push(stroke);
    this.emit();
  }

  drawDot(stroke) {
    const [first] = stroke.points;
    const ctx = this.context;
    ctx.fillStyle = stroke.colour;
    ctx.beginPath();
    ctx.arc(first.x, first.y, (stroke.width * first.w) / 2, 0, Math.PI * 2);
    ctx.fill();
  }

  drawSegment(stroke, from, to) {
    const ctx = this.context;
    ctx.strokeStyle = stroke.colour;
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    ctx.lineWidth = stroke.width * ((from.w + to.w) / 2);
    ctx.beginPath();
    ctx.moveTo(from.x, from.y);
    ctx.lineTo(to.x, to.y);
    ctx.stroke();
  }

  redraw() {
    if (!this.context) return;
    let start = 0;
    this.history.forEach((entry, index) => {
      if (entry.clear) start = index + 1;
    });
    this.context.fillStyle = PAPER;
    this.context.fillRect(0, 0, this.canvas.width, this.canvas.height);
    for (const stroke of this.history.slice(start)) {
      this.drawDot(stroke);
      for (let i = 1; i < stroke.points.length; i += 1) {
        this.drawSegment(stroke, stroke.points[i - 1], stroke.points[i]);
      }
    }
  }

  undo() {
    if (!this.history.length) return;
    this.history.pop();
    this.redraw();
    this.emit();
  }

  /** "Start again": an empty page that Undo can bring the drawing back from. */
  clear() {
    if (this.isEmpty) return;
    this.history.push({ clear: true });
    this.redraw();
    this.emit();
  }

  /** After sending: a fresh page, no history. */
  reset() {
    this.history = [];
    this.current = null;
    this.redraw();
    this.emit();
  }

  toBlob() {
    return new Promise((resolve, reject) => {
      this.canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("no PNG"))), "image/png");
    });
  }

  emit() {
    this.dispatchEvent(new CustomEvent("change"));
  }
}
