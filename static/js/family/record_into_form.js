// A family member's words recorded in the page and put into a form's file field, for the
// family space's own words (words.js) and a spoken comment on a report (spoken.js). The
// child's space's recorder does the recording; the form is sent as it is, so without this
// script choosing a file (the phone's recorder) keeps working everywhere.

import { VoiceRecorder, canRecord } from "../child_space/recorder.js";

// Put a file into a file field, as if the person had chosen it.
export function putFile(input, blob, filename) {
  const files = new DataTransfer();
  files.items.add(new File([blob], filename, { type: blob.type }));
  input.files = files.files;
}

// Wire the recorder part ([data-record-start], [data-record-stop], an <audio> to hear it
// back) so that a recording lands in `input`. The form's data-text-* attributes give what
// [data-words-status] says. `onRecorded` runs once the file is in place. Returns false,
// doing nothing, where there is no part or the browser cannot record.
export function recordIntoForm(form, part, input, onRecorded = () => {}) {
  if (!part || !canRecord()) return false;
  const status = form.querySelector("[data-words-status]");
  const say = (text) => {
    if (status) status.textContent = text;
  };
  const start = part.querySelector("[data-record-start]");
  const stop = part.querySelector("[data-record-stop]");
  const preview = part.querySelector("audio");
  const recorder = new VoiceRecorder({ maxSeconds: Number(form.dataset.maxSeconds) || 600 });
  part.classList.add("fs-enhanced");
  start.addEventListener("click", async () => {
    start.disabled = true; // at once: a second click while the microphone opens would open another
    try {
      await recorder.start();
    } catch {
      start.disabled = false;
      say(form.dataset.textNoMicrophone);
      return;
    }
    stop.disabled = false;
    say(form.dataset.textRecording);
  });
  stop.addEventListener("click", () => recorder.stop());
  recorder.addEventListener("recorded", (event) => {
    const { blob, filename } = event.detail;
    putFile(input, blob, filename);
    onRecorded();
    preview.src = URL.createObjectURL(blob);
    preview.hidden = false;
    start.disabled = false;
    stop.disabled = true;
    say(form.dataset.textRecorded);
  });
  return true;
}
