// A family member's comment on a report, spoken instead of typed: the child's space's
// recorder (as the family space's own words use it) puts the recording into the form's
// file field. Without this script, choosing a file (the phone's recorder) still works.

import { VoiceRecorder, canRecord } from "../child_space/recorder.js";

function enhance(form) {
  const part = form.querySelector("[data-recorder]");
  if (!part || !canRecord()) return;
  const status = form.querySelector("[data-words-status]");
  const say = (text) => {
    if (status) status.textContent = text;
  };
  const input = form.querySelector("input[type=file][name=media]");
  const start = part.querySelector("[data-record-start]");
  const stop = part.querySelector("[data-record-stop]");
  const preview = part.querySelector("audio");
  const recorder = new VoiceRecorder({ maxSeconds: Number(form.dataset.maxSeconds) || 600 });
  part.hidden = false;
  part.classList.add("fs-enhanced");
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
    const files = new DataTransfer();
    files.items.add(new File([blob], filename, { type: blob.type }));
    input.files = files.files;
    preview.src = URL.createObjectURL(blob);
    preview.hidden = false;
    start.disabled = false;
    stop.disabled = true;
    say(form.dataset.textRecorded);
  });
}

document.querySelectorAll("form[data-spoken-comment]").forEach(enhance);
