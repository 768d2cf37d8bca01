// Recording a voice note: MediaRecorder for the sound, an AnalyserNode for a live level so
// the child sees they are heard. The microphone is on only while recording: its tracks are
// stopped the moment recording stops, however it stops.

const TYPES = [
  ["audio/webm;codecs=opus", "webm"],
  ["audio/webm", "webm"],
  ["audio/mp4", "m4a"],
  ["audio/ogg;codecs=opus", "ogg"],
  ["audio/ogg", "ogg"],
];

/** The first container this browser records in, with a file extension for it. */
export function pickRecordingType() {
  if (!("MediaRecorder" in window)) return null;
  for (const [mimeType, extension] of TYPES) {
    if (MediaRecorder.isTypeSupported(mimeType)) return { mimeType, extension };
  }
  return { mimeType: "", extension: "webm" }; // let the browser choose
}

export function canRecord() {
  return Boolean(navigator.mediaDevices?.getUserMedia) && "MediaRecorder" in window;
}

export class VoiceRecorder extends EventTarget {
  constructor({ maxSeconds }) {
    super();
    this.maxSeconds = maxSeconds;
    this.stream = null;
    this.recorder = null;
    this.audioContext = null;
    this.frame = null;
    this.clock = null;
    this.startedAt = 0;
    this.stoppedByLimit = false;
  }

  get recording() {
    return this.recorder !== null && this.recorder.state === "recording";
  }

  emit(type, detail = {}) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  /** Ask for the microphone and start. Rejects with the getUserMedia error if refused. */
  async start() {
    const type = pickRecordingType();
    this.stream = await navigator.mediaDevices.getUserMedia({
      audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true },
    });
    const chunks = [];
    try {
      this.recorder = new MediaRecorder(this.stream, type.mimeType ? { mimeType: type.mimeType } : {});
    } catch (error) {
      this.releaseMicrophone();
      throw error;
    }
    this.recorder.addEventListener("dataavailable", (event) => {
      if (event.data && event.data.size > 0) chunks.push(event.data);
    });
    this.recorder.addEventListener("stop", () => {
      const mimeType = this.recorder.mimeType || type.mimeType || "audio/webm";
      const blob = new Blob(chunks, { type: mimeType });
      const seconds = (performance.now() - this.startedAt) / 1000;
      const extension = mimeType.includes("mp4") ? "m4a" : mimeType.includes("ogg") ? "ogg" : type.extension;
      this.recorder = null;
      this.emit("recorded", { blob, seconds, filename: `voice.${extension}`, byLimit: this.stoppedByLimit });
    });
    this.startMeter();
    this.stoppedByLimit = false;
    this.startedAt = performance.now();
    // Small slices: what was said so far is in hand even if stopping goes wrong.
    this.recorder.start(1000);
    this.clock = setInterval(() => {
      const seconds = (performance.now() - this.startedAt) / 1000;
      this.emit("tick", { seconds });
      if (seconds >= this.maxSeconds) {
        this.stoppedByLimit = true;
        this.stop();
      }
    }, 250);
    this.emit("started");
  }

  /** Stop recording and switch the microphone off. "recorded" follows with the sound. */
  stop() {
    clearInterval(this.clock);
    this.clock = null;
    if (this.recorder && this.recorder.state !== "inactive") this.recorder.stop();
    this.releaseMicrophone();
  }

  releaseMicrophone() {
    cancelAnimationFrame(this.frame);
    this.frame = null;
    this.stream?.getTracks().forEach((track) => track.stop());
    this.stream = null;
    this.audioContext?.close().catch(() => {});
    this.audioContext = null;
    this.emit("level", { level: 0 });
  }

  startMeter() {
    const AudioContextClass = window.AudioContext || window.webkitAudioContext;
    if (!AudioContextClass) return;
    this.audioContext = new AudioContextClass();
    const source = this.audioContext.createMediaStreamSource(this.stream);
    const analyser = this.audioContext.createAnalyser();
    analyser.fftSize = 1024;
    source.connect(analyser); // not to the speakers: no echo of the child's own voice
    const samples = new Float32Array(analyser.fftSize);
    const measure = () => {
      analyser.getFloatTimeDomainData(samples);
      let sum = 0;
      for (const sample of samples) sum += sample * sample;
      const rms = Math.sqrt(sum / samples.length);
      // Decibels, so quiet voices move the bar too: -60 dB is empty, 0 dB is full.
      const decibels = 20 * Math.log10(Math.max(rms, 1e-6));
      const level = Math.min(1, Math.max(0, (decibels + 60) / 60));
      this.emit("level", { level });
      this.frame = requestAnimationFrame(measure);
    };
    this.audioContext.resume?.().catch(() => {});
    measure();
  }
}
