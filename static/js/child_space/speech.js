// Reading aloud, only ever in the page's own language: a prompt a person recorded, else the
// browser's speechSynthesis voice, else the server's espeak-ng audio of the prompt. If none
// of these can say it, reading aloud stays off and the page says so: a voice for another
// language would read the words wrongly, which is worse than none.

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

function words(text) {
  return String(text || "").replace(/\s+/g, " ").trim();
}

/** What the server has for each prompt of `lang` (read_aloud.index), or nothing. */
function loadPrompts(url) {
  if (!url) return Promise.resolve({});
  return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then((response) => (response.ok ? response.json() : {}))
    .then((found) => found.prompts || {})
    .catch(() => ({}));
}

let oggPlays = null;
function playable(part) {
  if (oggPlays === null) {
    oggPlays = new Audio().canPlayType('audio/ogg; codecs="vorbis"') !== "";
  }
  // Devices that cannot play Ogg (older Safari) get the same words in the server's
  // fallback format (MP3, or WAV where the server cannot make MP3).
  return !oggPlays && part.fallback ? part.fallback : part.url;
}

/**
 * Reads words aloud in one language. A prompt someone recorded is played first; then the
 * device's own voice; then the server's espeak-ng audio of the prompt (`promptsUrl`).
 */
export class Reader {
  constructor(lang, { rate = 1, promptsUrl = null, autoSpeak = false } = {}) {
    this.lang = lang;
    this.rate = rate;
    this.voice = null;
    this.prompts = {};
    this.playing = null;
    //: Early band and symbols mode: prompts speak by themselves when they appear.
    this.autoSpeak = autoSpeak;
    this.synth = "speechSynthesis" in window ? window.speechSynthesis : null;
    const device = this.synth
      ? loadVoices(this.synth).then((voices) => {
          this.voice = pickVoice(voices, lang);
        })
      : Promise.resolve();
    const server = loadPrompts(promptsUrl).then((prompts) => {
      this.prompts = prompts;
    });
    this.ready = Promise.all([device, server]).then(() => this.available);
  }

  get available() {
    return this.voice !== null || Object.keys(this.prompts).length > 0;
  }

  /** The parts `text` is spoken in from the server's audio, or null if one is missing. */
  recordedParts(texts) {
    const parts = texts.map((text) => this.prompts[words(text)]);
    return parts.length > 0 && parts.every(Boolean) ? parts : null;
  }

  /** Whether `texts` (said one after the other) can be heard on this device. */
  canSay(texts) {
    return this.voice !== null || this.recordedParts(texts) !== null;
  }

  /** Read `text` aloud (or each of an array of texts in turn); `onEnd` when finished. */
  speak(text, { onEnd } = {}) {
    const texts = (Array.isArray(text) ? text : [text]).map(words).filter(Boolean);
    this.cancel();
    if (texts.length === 0) {
      onEnd?.();
      return;
    }
    const parts = this.recordedParts(texts);
    // A person's voice beats any synthetic one; the device's voice beats the server's.
    if (parts && (parts.every((part) => part.human) || this.voice === null)) {
      this.playParts(parts, onEnd);
      return;
    }
    if (this.voice === null) {
      onEnd?.();
      return;
    }
    document.body.dataset.readAloudLast = "device";
    const utterance = new SpeechSynthesisUtterance(texts.join(" "));
    utterance.voice = this.voice;
    utterance.lang = this.voice.lang;
    utterance.rate = this.rate;
    utterance.addEventListener("end", () => onEnd?.());
    utterance.addEventListener("error", () => onEnd?.());
    this.synth.speak(utterance);
  }

  playParts(parts, onEnd) {
    const [first, ...rest] = parts;
    const audio = new Audio(playable(first));
    audio.playbackRate = this.rate;
    this.playing = audio;
    document.body.dataset.readAloudLast = first.human ? "recording" : "server";
    const next = () => {
      if (this.playing !== audio) return; // cancelled, or something else is being read
      if (rest.length > 0) this.playParts(rest, onEnd);
      else {
        this.playing = null;
        onEnd?.();
      }
    };
    audio.addEventListener("ended", next);
    audio.addEventListener("error", next);
    audio.play().catch(next);
  }

  /** Read what `element` shows, part by part where the server has the parts. */
  speakElement(element, options = {}) {
    this.speak(spokenParts(element, this), options);
  }

  cancel() {
    this.synth?.cancel();
    if (this.playing) {
      const audio = this.playing;
      this.playing = null;
      audio.pause();
    }
  }
}

/** What `element` says, as the parts the server may have: the whole, or each visible part. */
function spokenParts(element, reader) {
  const whole = words(element.textContent);
  if (reader.recordedParts([whole]) || reader.voice !== null || element.childNodes.length <= 1) {
    return [whole];
  }
  // Text and elements in order ("Who can see this? <span>You choose.</span>"), hidden ones left out.
  return [...element.childNodes]
    .filter((node) => node.nodeType === Node.TEXT_NODE || (node.nodeType === Node.ELEMENT_NODE && !node.hidden))
    .map((node) => words(node.textContent))
    .filter(Boolean);
}

function promptsUrl() {
  const meta = document.querySelector('meta[name="cs-read-aloud"]');
  return meta ? meta.content : null;
}

/**
 * Wire every `button[data-speak]` in `root` to read its target element, and show the
 * notice `[data-speech-notice]` when nothing can be read aloud. Returns the Reader.
 */
export function setUpReadAloud(root, lang, { rate = 1, notice, autoSpeak = false } = {}) {
  const reader = new Reader(lang, { rate, promptsUrl: promptsUrl(), autoSpeak });
  reader.ready.then((ok) => {
    if (!ok && notice) notice.hidden = false;
    root.querySelectorAll("button[data-speak]").forEach((button) => {
      const target = document.getElementById(button.dataset.speak);
      button.disabled = !target || !reader.canSay(spokenParts(target, reader));
    });
    document.body.dataset.readAloud = reader.voice !== null ? "device" : ok ? "server" : "none";
  });
  root.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-speak]");
    if (!button || button.disabled) return;
    const target = document.getElementById(button.dataset.speak);
    if (!target) return;
    button.classList.add("is-speaking");
    reader.speak(spokenParts(target, reader), {
      onEnd: () => button.classList.remove("is-speaking"),
    });
  });
  return reader;
}
