// The family member's own views, on a phone: record in the page (the child's space's
// recorder) or draw on a pad (the child's space's drawing pad). Either puts its file into
// the form's file field, so the form is sent as it is without this script: choosing a
// file (the phone's recorder or camera) keeps working everywhere.

import { DrawingPad } from "../child_space/drawing.js";
import { putFile, recordIntoForm } from "./record_into_form.js";

const form = document.querySelector("form[data-family-words]");

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
  form.querySelectorAll("input[name=kind]").forEach((radio) => {
    radio.addEventListener("change", () => showFor(radio.value));
  });
  const checked = form.querySelector("input[name=kind]:checked");
  showFor(checked ? checked.value : "text");

  const fileInput = form.querySelector("input[type=file]");
  recordIntoForm(form, form.querySelector("[data-recorder]"), fileInput, () => choose("voice"));

  const canvas = form.querySelector("canvas[data-drawing-pad]");
  if (canvas) {
    const pad = new DrawingPad(canvas);
    let drawn = false;
    pad.addEventListener("change", () => (drawn = !pad.isEmpty));
    const fit = () => requestAnimationFrame(() => pad.fit());
    form.querySelectorAll("input[name=kind]").forEach((radio) => radio.addEventListener("change", fit));
    fit();
    form.querySelector("[data-drawing-undo]")?.addEventListener("click", () => pad.undo());
    let encoding = false;
    form.addEventListener("submit", async (event) => {
      const kind = form.querySelector("input[name=kind]:checked")?.value;
      if (encoding) event.preventDefault(); // a second tap while the picture is prepared
      if (encoding || kind !== "drawing" || !drawn || fileInput.files.length > 0) return;
      event.preventDefault();
      encoding = true;
      putFile(fileInput, await pad.toBlob(), "drawing.png");
      form.submit();
    });
  }
}
