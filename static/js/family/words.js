// The family member's own views, on a phone: record in the page (the child's space's
// recorder) or draw on a pad (the child's space's drawing pad). Either puts its file into
// the form's file field, so the form is sent as it is without this script: choosing a
// file (the phone's recorder or camera) keeps working everywhere.

import { DrawingPad } from "../child_space/drawing.js";
import { VoiceRecorder, canRecord } from "../child_space/recorder.js";

const form = document.querySelector("form[data-family-words]");

function putFile(blob, filename) {
  const input = form.querySelector("input[type=file]");
  const files = new DataTransfer();
  files.items.add(new File([blob], filename, { type: blob.type }));
  input.files = files.files;
}

function choose(kind) {
  const radio = form.querySelector(`input[name=kind][value=${kind}]`);
  if (radio) radio.checked = true;
  showFor(kind);
}

function showFor(kind) {
  form.querySelectorAll("[data-for-kind]").forEach((part) => {
    part.hidden = part.dataset.forKind !== kind;
  });
}

if (form) {
  const status = form.querySelector("[data-words-status]");
  const say = (text) => {
    if (status) status.textContent = text;
  };
  form.querySelectorAll("input[name=kind]").forEach((radio) => {
    radio.addEventListener("change", () => showFor(radio.value));
  });
  const checked = form.querySelector("input[name=kind]:checked");
  showFor(checked ? checked.value : "text");

  const recorderPart = form.querySelector("[data-recorder]");
  if (recorderPart && canRecord()) {
    recorderPart.classList.add("fs-enhanced");
    const start = recorderPart.querySelector("[data-record-start]");
    const stop = recorderPart.querySelector("[data-record-stop]");
    const preview = recorderPart.querySelector("audio");
    const recorder = new VoiceRecorder({ maxSeconds: Number(form.dataset.maxSeconds) || 600 });
    start.addEventListener("click", async () => {
      try {
        await recorder.start();
      } catch {
        say(form.dataset.textNoMicrophone);
        return;
      }
      start.disabled = true;
      stop.disabled = false;
      say(form.dataset.textRecording);
    });
    stop.addEventListener("click", () => recorder.stop());
    recorder.addEventListener("recorded", (event) => {
      const { blob, filename } = event.detail;
      putFile(blob, filename);
      choose("voice");
      preview.src = URL.createObjectURL(blob);
      preview.hidden = false;
      start.disabled = false;
      stop.disabled = true;
      say(form.dataset.textRecorded);
    });
  }

  const canvas = form.querySelector("canvas[data-drawing-pad]");
  if (canvas) {
    const pad = new DrawingPad(canvas);
    let drawn = false;
    pad.addEventListener("change", () => (drawn = !pad.isEmpty));
    const fit = () => requestAnimationFrame(() => pad.fit());
    form.querySelectorAll("input[name=kind]").forEach((radio) => radio.addEventListener("change", fit));
    fit();
    form.querySelector("[data-drawing-undo]")?.addEventListener("click", () => pad.undo());
    form.addEventListener("submit", async (event) => {
      const kind = form.querySelector("input[name=kind]:checked")?.value;
      const input = form.querySelector("input[type=file]");
      if (kind !== "drawing" || !drawn || input.files.length > 0) return;
      event.preventDefault();
      putFile(await pad.toBlob(), "drawing.png");
      form.submit();
    });
  }
}
