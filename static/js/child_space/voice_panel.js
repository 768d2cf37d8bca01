// The voice panel: record, listen back, record again, send.

import { Panel, Problem } from "./panels.js";
import { VoiceRecorder, canRecord } from "./recorder.js";

/** Chromium's recordings say nothing of their length, so the player shows none: seeking to
 * the far end once makes it measure. */
function fixUnknownDuration(audio) {
  audio.addEventListener(
    "loadedmetadata",
    () => {
      if (audio.duration !== Infinity) return;
      audio.addEventListener("durationchange", () => (audio.currentTime = 0), { once: true });
      audio.currentTime = 1e101;
    },
    { once: true },
  );
}

function clock(seconds) {
  const whole = Math.floor(seconds);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
}

/** Record, listen back, record again, send. */
export class VoicePanel extends Panel {
  constructor(element, options) {
    super(element, options);
    this.recorder = new VoiceRecorder({ maxSeconds: options.maxSeconds });
    this.recording = null;
    this.audioUrl = null;
    this.heardUntil = 0;
    const $ = (selector) => element.querySelector(selector);
    this.parts = {
      record: $("[data-action='record']"),
      stop: $("[data-action='stop']"),
      live: $("[data-live]"),
      bar: $("[data-meter-bar]"),
      heardYes: $(".cs-heard__yes"),
      heardNo: $(".cs-heard__no"),
      timer: $("[data-timer]"),
      elapsed: $("[data-elapsed]"),
      state: $("[data-recorder-status]"),
      error: $("[data-recorder-error]"),
      playback: $("[data-playback]"),
      audio: $("[data-audio]"),
    };
    this.parts.record.addEventListener("click", () => this.start());
    this.parts.stop.addEventListener("click", () => this.recorder.stop());
    $("[data-action='rerecord']").addEventListener("click", () => this.start());
    this.recorder.addEventListener("started", () => this.started());
    this.recorder.addEventListener("tick", ({ detail }) => {
      this.parts.elapsed.textContent = clock(detail.seconds);
    });
    this.recorder.addEventListener("level", ({ detail }) => this.level(detail.level));
    this.recorder.addEventListener("recorded", ({ detail }) => this.recorded(detail));
  }

  get ready() {
    return Boolean(this.recording);
  }

  get dirty() {
    return Boolean(this.recording) || this.recorder.recording;
  }

  fail(message) {
    this.parts.error.textContent = message;
    this.parts.error.hidden = false;
  }

  async start() {
    this.parts.error.hidden = true;
    this.discard();
    if (!canRecord()) {
      this.fail(this.strings["mic-missing"]);
      return;
    }
    this.parts.record.disabled = true;
    try {
      await this.recorder.start();
    } catch (error) {
      const denied = error && (error.name === "NotAllowedError" || error.name === "SecurityError");
      this.fail(this.strings[denied ? "mic-denied" : "mic-missing"]);
    } finally {
      this.parts.record.disabled = false;
    }
  }

  started() {
    this.parts.record.hidden = true;
    this.parts.stop.hidden = false;
    this.parts.live.hidden = false;
    this.parts.timer.hidden = false;
    this.parts.elapsed.textContent = clock(0);
    this.parts.state.textContent = this.strings.recording;
    this.parts.stop.focus();
    this.updateNext();
  }

  level(level) {
    this.parts.bar.style.inlineSize = `${Math.round(level * 100)}%`;
    const now = performance.now();
    if (level > 0.45) this.heardUntil = now + 700; // hold it a moment: no flicker
    const heard = now < this.heardUntil && this.recorder.recording;
    this.parts.heardYes.hidden = !heard;
    this.parts.heardNo.hidden = heard;
  }

  recorded({ blob, filename, byLimit }) {
    this.recording = { blob, filename };
    this.audioUrl = URL.createObjectURL(blob);
    this.parts.audio.src = this.audioUrl;
    fixUnknownDuration(this.parts.audio);
    this.parts.stop.hidden = true;
    this.parts.live.hidden = true;
    this.parts.record.hidden = true;
    this.parts.playback.hidden = false;
    this.parts.state.textContent = byLimit ? this.strings["stopped-at-limit"] : this.strings.recorded;
    this.updateNext();
    (this.band === "early" ? this.nextButton : this.parts.audio).focus();
  }

  /** Forget the recording on screen (not anything already in the outbox). */
  discard() {
    if (this.audioUrl) URL.revokeObjectURL(this.audioUrl);
    this.audioUrl = null;
    this.recording = null;
    this.parts.audio.removeAttribute("src");
    this.parts.audio.load();
    this.parts.playback.hidden = true;
    this.parts.timer.hidden = true;
    this.parts.record.hidden = false;
    this.parts.state.textContent = "";
    this.updateNext();
  }

  leave() {
    if (this.recorder.recording) this.recorder.stop(); // keeps what was said; mic off
  }

  async collect() {
    if (this.recorder.recording) this.recorder.stop();
    if (!this.recording) throw new Problem(this.strings["nothing-recorded"]);
    return { fields: {}, media: { blob: this.recording.blob, filename: this.recording.filename } };
  }

  reset() {
    super.reset();
    this.discard();
  }
}
