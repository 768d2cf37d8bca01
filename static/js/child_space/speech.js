// Reading aloud with the browser's speechSynthesis, only ever in the page's own language.
// If this device has no voice for that language, reading aloud stays off and the page says
// so: a voice for another language would read the words wrongly, which is worse than none.

const VOICES_WAIT_MS = 2500;

function normalise(tag) {
  return String(tag || "").toLowerCase().replace(/_/g, "-");
}

/** The best installed voice for `lang` ("cy", "ar", "en-GB"...), or null. */
export function pickVoice(voices, lang) {
  const wanted = normalise(lang);
  const base = wanted.split("-")[0];
  const matching = voices.filter((voice) => {
    const tag = normalise(voice.lang);
    return tag === base || tag.startsWith(`${base}-`);
  });
  if (matching.length === 0) return null;
  const score = (voice) =>
    (normalise(voice.lang) === wanted ? 4 : 0) + (voice.localService ? 2 : 0) + (voice.default ? 1 : 0);
  return matching.sort((a, b) => score(b) - score(a))[0];
}

function loadVoices(synth) {
  const now = synth.getVoices();
  if (now.length > 0) return Promise.resolve(now);
  // Chromium fills the list a little later and says so with "voiceschanged".
  return new Promise((resolve) => {
    const done = () => {
      synth.removeEventListener("voiceschanged", done);
      resolve(synth.getVoices());
    };
    synth.addEventListener("voiceschanged", done);
    setTimeout(done, VOICES_WAIT_MS);
  });
}

export class Reader {
  constructor(lang, { rate = 1 } = {}) {
    this.lang = lang;
    this.rate = rate;
    this.voice = null;
    this.synth = "speechSynthesis" in window ? window.speechSynthesis : null;
    this.ready = this.synth
      ? loadVoices(this.synth).then((voices) => {
          this.voice = pickVoice(voices, lang);
          return this.voice !== null;
        })
      : Promise.resolve(false);
  }

  get available() {
    return this.voice !== null;
  }

  /** Read `text` aloud; resolves when it has finished (or at once if it cannot). */
  speak(text, { onEnd } = {}) {
    if (!this.available || !text.trim()) {
      onEnd?.();
      return;
    }
    this.synth.cancel();
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.voice = this.voice;
    utterance.lang = this.voice.lang;
    utterance.rate = this.rate;
    utterance.addEventListener("end", () => onEnd?.());
    utterance.addEventListener("error", () => onEnd?.());
    this.synth.speak(utterance);
  }

  cancel() {
    this.synth?.cancel();
  }
}

/**
 * Wire every `button[data-speak]` in `root` to read its target element, and show the
 * notice `[data-speech-notice]` when no voice fits. Returns the Reader.
 */
export function setUpReadAloud(root, lang, { rate = 1, notice } = {}) {
  const reader = new Reader(lang, { rate });
  reader.ready.then((ok) => {
    if (!ok && notice) notice.hidden = false;
    root.querySelectorAll("button[data-speak]").forEach((button) => {
      button.disabled = !ok;
    });
  });
  root.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-speak]");
    if (!button || button.disabled) return;
    const target = document.getElementById(button.dataset.speak);
    if (!target) return;
    button.classList.add("is-speaking");
    reader.speak(target.textContent.replace(/\s+/g, " "), {
      onEnd: () => button.classList.remove("is-speaking"),
    });
  });
  return reader;
}
