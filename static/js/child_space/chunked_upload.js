// Sending a recording or drawing in chunks, so a weak connection loses a chunk, not the file.
//
// 1. POST {client_id, kind, size, sha256} to the outbox's uploadsUrl. The answer is the
//    stored item (it arrived on an earlier try: done), or where to send chunks and how
//    many bytes the server already has (a page reload or a dropped connection resumes
//    there, not from the start).
// 2. PUT each chunk to upload_url?offset=N. The answer (or a 409, when the server has a
//    different amount) says how much has arrived; the next chunk starts there.
// 3. The outbox then sends the item itself with upload=1: the server joins the chunks,
//    checks the size and SHA-256, runs its usual checks and stores the item once.
// The whole file stays in IndexedDB until the server has stored the item.

/** Files above this many bytes go in chunks (the server's chunk size may be smaller). */
const CHUNKS_ABOVE_BYTES = 64 * 1024;

async function sha256Hex(buffer) {
  const digest = await window.crypto.subtle.digest("SHA-256", buffer);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Chunks need SubtleCrypto (https or localhost); without it the file goes whole. */
export function wantsChunks(item) {
  return Boolean(item.media && item.media.data.byteLength > CHUNKS_ABOVE_BYTES && window.crypto?.subtle);
}

/**
 * Send the item's file in chunks. Resolves "whole" when the server has every byte, or
 * with the outbox's outcome for the item ("sent", "held", "ended", "retry").
 * @param {import("./outbox.js").Outbox} outbox
 */
export async function sendInChunks(outbox, item) {
  const data = item.media.data;
  const size = data.byteLength;
  const sha256 = await sha256Hex(data);
  let response = await outbox.call(outbox.uploadsUrl, {
    method: "POST",
    body: JSON.stringify({ client_id: item.client_id, kind: item.fields.kind, size, sha256 }),
    headers: { "Content-Type": "application/json" },
  });
  if (!response) return outbox.keepForLater(item);
  let answer = await response.json().catch(() => null);
  if (!response.ok || Number.isInteger(answer?.id) || !answer?.upload_url) {
    return outbox.answered(item, response, answer);
  }
  const url = answer.upload_url;
  const chunkBytes = Math.max(1, Math.min(answer.chunk_bytes || CHUNKS_ABOVE_BYTES, CHUNKS_ABOVE_BYTES));
  let offset = answer.offset || 0;
  // Each chunk either moves the offset on or is answered with where to go on from.
  for (let tries = 0; offset < size && tries < 2 * Math.ceil(size / chunkBytes) + 10; tries += 1) {
    outbox.emit("progress", { item, sent: offset, size });
    response = await outbox.call(`${url}?offset=${offset}`, {
      method: "PUT",
      body: data.slice(offset, Math.min(offset + chunkBytes, size)),
      headers: { "Content-Type": "application/octet-stream" },
    });
    if (!response) return outbox.keepForLater(item);
    answer = await response.json().catch(() => null);
    if ((response.ok || response.status === 409) && Number.isInteger(answer?.offset)) {
      offset = answer.offset;
      continue;
    }
    if (response.status === 404) return outbox.keepForLater(item); // swept: begin again next time
    return outbox.answered(item, response, answer);
  }
  if (offset < size) return outbox.keepForLater(item);
  outbox.emit("progress", { item, sent: size, size });
  return "whole";
}
