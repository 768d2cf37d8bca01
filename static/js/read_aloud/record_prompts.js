// Recording a prompt with the microphone, on the page that lists every prompt: the take is
// put into the form's file field and the form is sent, exactly as a chosen file would be.
// Without a microphone (or this script) the file field still works on its own.

function strings() {
  const found = {};
  const template = document.getElementById("record-strings");
  for (const el of template?.content.querySelectorAll("[data-key]") ?? []) {
    found[el.dataset.key] = el.textContent.trim();
  }
  return found;
}

function pickType() {
  const types = ["audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/mp4"];
  return types.find((type) => window.MediaRecorder?.isTypeSupported?.(type)) || "";
}

function wire(form, words) {
  const input = form.querySelector('input[type="file"]');
  const button = document.createElement("button");
  button.type = "button";
  button.className = "button";
  button.textContent = words.record;
  form.append(button);
  let recorder = null;
  let opening = false; // a second click while the microphone opens would open another
  button.addEventListener("click", async () => {
    if (recorder) {
      recorder.stop();
      return;
    }
    if (opening) return;
    opening = true;
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } finally {
      opening = false;
    }
    const chunks = [];
    recorder = new MediaRecorder(stream, pickType() ? { mimeType: pickType() } : {});
    recorder.addEventListener("dataavailable", (event) => chunks.push(event.data));
    recorder.addEventListener("stop", () => {
      stream.getTracks().forEach((track) => track.stop());
      const type = recorder.mimeType || "audio/webm";
      const file = new File(chunks, `prompt.${type.includes("mp4") ? "m4a" : "webm"}`, { type });
      const transfer = new DataTransfer();
      transfer.items.add(file);
      input.files = transfer.files;
      form.requestSubmit();
    });
    recorder.start();
    button.textContent = words.stop;
  });
}

if (navigator.mediaDevices?.getUserMedia && window.MediaRecorder) {
  const words = strings();
  document.querySelectorAll("form[data-record-prompt]").forEach((form) => wire(form, words));
}
