// The outbox: nothing a child makes is lost, and nothing is stored twice.
//
// 1. Every item is written to IndexedDB (store "outbox") with a client_id made here,
//    BEFORE any upload starts. A closed tab, a flat battery or a dropped connection leaves
//    it there, and the next page load sends it.
// 2. It is removed only when the server answers 200 or 201 with the stored item's JSON.
//    Network errors, timeouts, 408, 429 and 5xx keep it and retry with backoff (and at
//    once on the "online" event, when the page becomes visible, and on the next load).
// 3. The server keys contributions on (child, client_id): a retry of an upload that in
//    fact arrived gets 200 and the first copy, never a second one.
// 4. A 410 means the space has ended for good (the case's record was destroyed): as 401.
//    A stored item's answer with `closed: true` means the case closed while the child was
//    here: the item is kept (marked for the practitioner) and the child is told kindly.
// 5. A 400 with a reason (the server's translated `error`) holds the item for the child
//    to try again or throw away. 401/403 (and a 400 without a reason: the session and
//    its CSRF token are gone) mean the child's session has ended: keep everything, stop
//    sending, and say so.
// 6. A recording or drawing larger than one chunk goes in chunks (chunked_upload.js): a
//    connection dropped at 90 % resends the chunk it lost, not the whole file. The item
//    stays here, whole, until the server has stored it.
// 6. While one item cannot go, every item waiting behind it is told so ("waiting"), so
//    each panel says the same true thing.
// Items carry the key of the child's space they were made in; a different child using
// the same tablet later never sends, sees or deletes them.

import { sendInChunks, wantsChunks } from "./chunked_upload.js";

const DB_NAME = "voice_app_child_space";
const DB_VERSION = 1;
const STORE = "outbox";
const UPLOAD_TIMEOUT_MS = 5 * 60 * 1000;
const FIRST_RETRY_MS = 2000;
const LONGEST_RETRY_MS = 60000;

function promised(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function openDatabase() {
  return new Promise((resolve, reject) => {
    if (!("indexedDB" in window)) {
      reject(new Error("no IndexedDB"));
      return;
    }
    const request = indexedDB.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains(STORE)) {
        db.createObjectStore(STORE, { keyPath: "client_id" }).createIndex("space", "space");
      }
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
    request.onblocked = () => reject(new Error("IndexedDB blocked"));
  });
}

/** Items kept in IndexedDB, which outlives the page. */
class LastingStore {
  constructor(db) {
    this.db = db;
    this.lasting = true;
  }

  async run(mode, work) {
    const transaction = this.db.transaction(STORE, mode);
    const done = new Promise((resolve, reject) => {
      transaction.oncomplete = resolve;
      transaction.onerror = () => reject(transaction.error);
      transaction.onabort = () => reject(transaction.error || new Error("aborted"));
    });
    const result = await promised(work(transaction.objectStore(STORE)));
    await done; // resolved only once the data is really written
    return result;
  }

  put(item) {
    return this.run("readwrite", (store) => store.put(item));
  }

  delete(clientId) {
    return this.run("readwrite", (store) => store.delete(clientId));
  }

  get(clientId) {
    return this.run("readonly", (store) => store.get(clientId));
  }

  inSpace(space) {
    return this.run("readonly", (store) => store.index("space").getAll(space));
  }
}

/** When IndexedDB is missing or full: kept only while the page is open. */
class PageStore {
  constructor() {
    this.items = new Map();
    this.lasting = false;
  }

  async put(item) {
    this.items.set(item.client_id, item);
  }

  async delete(clientId) {
    this.items.delete(clientId);
  }

  async get(clientId) {
    return this.items.get(clientId);
  }

  async inSpace(space) {
    return [...this.items.values()].filter((item) => item.space === space);
  }
}

/** A version-4 UUID: crypto.randomUUID() where there is one (it needs a secure context). */
export function newClientId() {
  if (window.crypto?.randomUUID) return window.crypto.randomUUID();
  const bytes = window.crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function urgentFirst(a, b) {
  const ua = a.fields.unsafe === "1" ? 0 : 1;
  const ub = b.fields.unsafe === "1" ? 0 : 1;
  return ua - ub || a.created_at - b.created_at;
}

export class Outbox extends EventTarget {
  /**
   * @param {object} options
   * @param {string} options.uploadUrl  where items are POSTed
   * @param {string} [options.uploadsUrl] where chunked uploads begin (uploadUrl + "/uploads")
   * @param {string} options.space      the key of this child's space on this device
   * @param {object} options.messages   translated texts: tooBig, didNotWork
   */
  constructor({ uploadUrl, uploadsUrl, space, messages }) {
    super();
    this.uploadUrl = uploadUrl;
    this.uploadsUrl = uploadsUrl || `${uploadUrl}/uploads`;
    this.space = space;
    this.messages = messages;
    this.store = new PageStore();
    this.inFlight = new Set();
    /** client_id -> "sending" | "waiting" (for the network) | "held" (refused; see item.error) */
    this.phase = new Map();
    this.failures = 0;
    this.retryTimer = null;
    this.flushing = false;
    this.flushAgain = false;
    this.ended = false;
  }

  /** Open the lasting store and start sending whatever an earlier visit left behind. */
  async start() {
    try {
      this.store = new LastingStore(await openDatabase());
      // Ask the browser not to clear this origin's storage when space runs low.
      navigator.storage?.persist?.().catch(() => {});
    } catch {
      this.store = new PageStore();
      this.emit("no-lasting-store");
    }
    window.addEventListener("online", () => this.flushNow());
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") this.flushNow();
    });
    this.emit("change");
    this.flush();
  }

  emit(type, detail = {}) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  /** Everything of this child's still on the device, most urgent and oldest first. */
  async items() {
    const items = await this.store.inSpace(this.space);
    return items.sort(urgentFirst);
  }

  phaseOf(item) {
    return this.phase.get(item.client_id) || (item.reason ? "held" : "waiting");
  }

  /**
   * Keep a new item, then send it. Resolves once it is safely stored (not when sent).
   * @param {Record<string, string>} fields  kind, sharing, text, feeling, house, scale, unsafe
   * @param {{blob: Blob, filename: string}|null} media
   */
  async add(fields, media = null) {
    const item = {
      client_id: newClientId(),
      space: this.space,
      fields,
      media: media
        ? { data: await media.blob.arrayBuffer(), type: media.blob.type, filename: media.filename }
        : null,
      created_at: Date.now(),
      error: null,
      reason: null,
    };
    try {
      await this.store.put(item);
    } catch {
      // Full or failing storage must not lose the item: keep it in the page and say so.
      if (this.store.lasting) {
        this.fallback = this.fallback || new PageStore();
        await this.fallback.put(item);
        this.emit("no-lasting-store");
        this.sendUnstored(item);
        return item;
      }
      throw new Error("could not keep the item");
    }
    this.emit("added", { item });
    this.emit("change");
    if (fields.unsafe === "1") {
      // "I don't feel safe" goes at once, even beside a long upload already under way.
      this.sendOne(item).then((outcome) => this.afterOutcome(outcome));
    } else {
      this.flush();
    }
    return item;
  }

  /** An item the lasting store could not take: send it from memory until it arrives. */
  async sendUnstored(item) {
    const outcome = await this.upload(item);
    if (outcome === "sent" || outcome === "held" || outcome === "ended") {
      if (outcome === "sent") await this.fallback.delete(item.client_id);
      return;
    }
    setTimeout(() => this.sendUnstored(item), this.nextDelay());
  }

  /** Send everything waiting, one at a time, oldest first; stop at the first network failure. */
  async flush() {
    if (this.ended) return;
    if (this.flushing) {
      this.flushAgain = true;
      return;
    }
    this.flushing = true;
    try {
      do {
        this.flushAgain = false;
        const items = await this.items();
        for (const [index, item] of items.entries()) {
          // A refused item waits for the child to choose (try again or throw away).
          if (this.inFlight.has(item.client_id) || item.reason) continue;
          const outcome = await this.sendOne(item);
          if (outcome === "retry" || outcome === "ended") {
            if (outcome === "retry") this.alsoWaiting(items.slice(index + 1));
            this.afterOutcome(outcome);
            return;
          }
          if (outcome === "skipped" && !this.retryTimer) {
            // Another tab is sending it: look again shortly, to see it gone or to take over.
            this.retryTimer = setTimeout(() => {
              this.retryTimer = null;
              this.flush();
            }, FIRST_RETRY_MS);
          }
        }
      } while (this.flushAgain && !this.ended);
    } finally {
      this.flushing = false;
    }
  }

  /** Items behind one that could not go wait too: say so for each, not only the first. */
  alsoWaiting(items) {
    for (const item of items) {
      if (item.reason || this.inFlight.has(item.client_id)) continue;
      this.setPhase(item, "waiting");
      this.emit("waiting", { item });
    }
  }

  flushNow() {
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.flush();
  }

  afterOutcome(outcome) {
    if (outcome === "retry" && !this.retryTimer && !this.ended) {
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null;
        this.flush();
      }, this.nextDelay());
    }
  }

  nextDelay() {
    const base = Math.min(LONGEST_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, this.failures - 1));
    return Math.round(base * (0.75 + Math.random() * 0.5));
  }

  /** Try again an item the server refused (after the child has read why). */
  async retry(clientId) {
    this.phase.delete(clientId);
    const item = await this.store.get(clientId);
    if (item) {
      item.error = null;
      item.reason = null;
      await this.store.put(item);
    }
    this.emit("change");
    this.flushNow();
  }

  /** The child chose to throw an item away. */
  async discard(clientId) {
    this.phase.delete(clientId);
    await this.store.delete(clientId);
    this.emit("change");
  }

  setPhase(item, phase) {
    this.phase.set(item.client_id, phase);
    this.emit("change");
  }

  /** One upload. Returns "sent", "held", "retry", "ended", or "skipped" (another tab has it). */
  async sendOne(item) {
    if (this.inFlight.has(item.client_id)) return "skipped";
    this.inFlight.add(item.client_id);
    try {
      if (!navigator.locks) return await this.sendStill(item);
      // Another tab of the same space may be sending this very item: let it. (The server
      // would not store it twice anyway; this just saves the upload.)
      return await navigator.locks.request(`voice_app-outbox-${item.client_id}`, { ifAvailable: true }, (lock) =>
        lock ? this.sendStill(item) : "skipped",
      );
    } finally {
      this.inFlight.delete(item.client_id);
    }
  }

  /** Send the item if it is still in the outbox (another tab may have sent it meanwhile). */
  async sendStill(item) {
    const current = this.store.lasting ? await this.store.get(item.client_id) : item;
    if (!current) {
      this.phase.delete(item.client_id);
      this.emit("change");
      return "skipped";
    }
    this.setPhase(current, "sending");
    return this.upload(current);
  }

  /** One request; null when the network failed (offline, dropped, timed out). */
  async call(url, options) {
    try {
      return await window.voiceApp.fetch(url, {
        ...options,
        headers: { Accept: "application/json", ...(options.headers || {}) },
        signal: AbortSignal.timeout ? AbortSignal.timeout(UPLOAD_TIMEOUT_MS) : undefined,
      });
    } catch {
      return null;
    }
  }

  async upload(item) {
    let chunked = false;
    if (wantsChunks(item)) {
      // The file goes first, in chunks; then the item, naming the upload instead.
      const outcome = await sendInChunks(this, item);
      if (outcome !== "whole") return outcome;
      chunked = true;
    }
    const body = new FormData();
    body.append("client_id", item.client_id);
    for (const [name, value] of Object.entries(item.fields)) {
      if (value !== null && value !== undefined && value !== "") body.append(name, value);
    }
    if (chunked) {
      body.append("upload", "1");
    } else if (item.media) {
      body.append("media", new Blob([item.media.data], { type: item.media.type }), item.media.filename);
    }
    const response = await this.call(this.uploadUrl, { method: "POST", body });
    if (!response) return this.keepForLater(item);
    const data = await response.json().catch(() => null);
    if (response.status === 409 && data?.reason?.startsWith("upload_")) {
      // The server lacks part of the file (or it arrived damaged): the next try sends it.
      return this.keepForLater(item);
    }
    return this.answered(item, response, data);
  }

  /** What an answer means for the item: "sent", "held", "ended" or "retry". */
  async answered(item, response, data) {
    if ((response.status === 200 || response.status === 201) && data && Number.isInteger(data.id)) {
      await this.store.delete(item.client_id);
      this.failures = 0;
      this.phase.delete(item.client_id);
      this.emit("sent", { item, data, created: response.status === 201 });
      // Stored, but the case closed while the child was here: say so kindly (space.js).
      if (data.closed) this.emit("closed", { message: data.message });
      this.emit("change");
      return "sent";
    }
    // 410: the child's space has ended for good (the record is gone): stop, never retry.
    if (response.status === 401 || response.status === 403 || response.status === 410 || (response.status === 400 && !data?.reason)) {
      this.ended = true;
      this.phase.delete(item.client_id);
      this.emit("ended");
      this.emit("change");
      return "ended";
    }
    if (response.status === 400) return this.hold(item, data.error || this.messages.didNotWork, data.reason);
    if (response.status === 413 && data?.error) return this.hold(item, data.error, "too_large");
    if (response.status === 413) return this.hold(item, this.messages.tooBig, "too_large");
    if (response.status === 408 || response.status === 429 || response.status >= 500 || response.ok) {
      // response.ok without a stored item's JSON: something between us and the server
      // (a captive portal, a proxy) answered. Keep the item and try again.
      return this.keepForLater(item);
    }
    return this.hold(item, this.messages.didNotWork, `http_${response.status}`);
  }

  keepForLater(item) {
    this.failures += 1;
    this.setPhase(item, "waiting");
    this.emit("waiting", { item });
    return "retry";
  }

  async hold(item, message, reason) {
    item.error = message;
    item.reason = reason;
    await this.store.put(item).catch(() => {});
    this.setPhase(item, "held");
    this.emit("held", { item });
    return "held";
  }
}
