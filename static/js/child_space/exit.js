// Leaving the child's space: if this child's outbox on this tablet still holds anything,
// keep trying to send it and say so, so nobody leaves thinking it has all gone.

import { Outbox } from "./outbox.js";

const card = document.getElementById("cs-exit");
const meta = document.querySelector('meta[name="cs-outbox-key"]');
if (card && meta) {
  const warning = card.querySelector("[data-outbox-warning]");
  const outbox = new Outbox({
    uploadUrl: card.dataset.uploadUrl,
    space: meta.content,
    messages: { tooBig: "", didNotWork: "" },
  });
  outbox.addEventListener("change", async () => {
    warning.hidden = (await outbox.items()).length === 0;
  });
  outbox.start();
}
