// The child's space: opens the activity a child picks, turns what they make into outbox
// items, shows what is waiting and what has arrived, and the "I don't feel safe" button.
// Every word shown comes from the page (templates/child_space/_strings.html).

import { Outbox } from "./outbox.js";
import { setUpReadAloud } from "./speech.js";
import { ReadBackCard, WhoSeesReminder, watchHeader } from "./in_view.js";
import { Things } from "./things.js";
import { DrawingPanel } from "./drawing_panel.js";
import { FormPanel } from "./panels.js";
import { VoicePanel } from "./voice_panel.js";

function readTemplate(id, attribute, read) {
  const found = {};
  const template = document.getElementById(id);
  if (!template) return found;
  for (const element of template.content.querySelectorAll(`[${attribute}]`)) {
    found[element.getAttribute(attribute)] = read(element);
  }
  return found;
}

function spaceKey() {
  const meta = document.querySelector('meta[name="cs-outbox-key"]');
  return meta ? meta.content : "child-space";
}

function main(root) {
  const band = root.dataset.band;
  const strings = readTemplate("cs-strings", "data-key", (el) => el.textContent.replace(/\s+/g, " ").trim());
  const pictures = readTemplate("cs-pictures", "data-picture", (el) => el.dataset.src);
  const announcer = root.querySelector("[data-announce]");
  const announce = (text) => {
    // Clear first, so the same words said twice are announced twice.
    announcer.textContent = "";
    setTimeout(() => {
      announcer.textContent = text;
    }, 60);
  };
  const reader = setUpReadAloud(document.body, root.dataset.speechLang, {
    rate: band === "early" ? 0.9 : 1,
    notice: root.querySelector("[data-speech-notice]"),
    autoSpeak: band === "early" || root.dataset.symbols === "true",
  });

  const endedBanner = root.querySelector("[data-session-ended]");
  const sessionEnded = () => {
    if (!endedBanner.hidden) return;
    endedBanner.hidden = false;
    endedBanner.scrollIntoView({ block: "nearest" });
  };

  // --- what stays in front of the child on a small screen (in_view.js) ---------------------
  const header = document.querySelector(".cs-header");
  watchHeader(header);
  const whoSees = new WhoSeesReminder(root);
  let openPanel = null;
  const readBack = new ReadBackCard(root.querySelector("[data-readback]"), {
    header,
    band,
    home: () => home(),
    openPanel: () => openPanel,
  });

  const outbox = new Outbox({
    uploadUrl: root.dataset.uploadUrl,
    space: spaceKey(),
    messages: { tooBig: strings["too-big"], didNotWork: strings["did-not-work"] },
  });
  const things = new Things({
    section: root.querySelector(".cs-things"),
    strings,
    pictures,
    statusUrl: root.dataset.statusUrl,
    confirmUrl: root.dataset.confirmUrl,
    reader,
    band,
    announce,
    onEnded: sessionEnded,
    onReadBack: (item, text) => readBack.bring(item, text),
  });

  // --- screens: the menu and one panel at a time -------------------------------------------
  const homeParts = [...root.querySelectorAll("[data-screen='home']")];
  const tiles = [...root.querySelectorAll("[data-open]")];
  const panels = {};

  function show(name, { focus = true, speak = true } = {}) {
    if (openPanel && openPanel.name !== name) openPanel.leave();
    const panel = panels[name];
    for (const other of Object.values(panels)) other.element.hidden = other !== panel;
    tiles.forEach((tile) => tile.setAttribute("aria-expanded", String(tile.dataset.open === name)));
    // Early band: one question a screen, so the menu steps aside while a panel is open.
    if (band === "early") homeParts.forEach((part) => (part.hidden = true));
    openPanel = panel;
    panel.enter();
    whoSees.showIn(panel.element);
    if (focus) {
      panel.heading.focus();
      panel.element.scrollIntoView({ block: "start" });
    }
    if (speak && reader.autoSpeak) reader.speak(panel.heading.textContent);
  }

  function home() {
    const was = openPanel;
    if (openPanel) {
      openPanel.leave();
      openPanel.element.hidden = true;
    }
    openPanel = null;
    homeParts.forEach((part) => (part.hidden = false));
    tiles.forEach((tile) => tile.setAttribute("aria-expanded", "false"));
    const tile = was && tiles.find((each) => each.dataset.open === was.name);
    (tile || root.querySelector("#hello-title")).focus();
  }

  const common = { band, strings, outbox, announce, home, reader };
  for (const element of root.querySelectorAll(".cs-panel[data-panel]")) {
    const name = element.dataset.panel;
    if (name === "unsafe") continue;
    const Kind = name === "voice" ? VoicePanel : name === "drawing" ? DrawingPanel : FormPanel;
    panels[name] = new Kind(element, { ...common, maxSeconds: Number(root.dataset.maxSeconds) || 600 });
  }
  tiles.forEach((tile) =>
    tile.addEventListener("click", () => {
      if (openPanel && openPanel.name === tile.dataset.open && band !== "early") home();
      else show(tile.dataset.open);
    }),
  );

  // --- "I don't feel safe" -------------------------------------------------------------------
  const unsafePanel = root.querySelector("[data-panel='unsafe']");
  panels.unsafe = {
    name: "unsafe",
    element: unsafePanel,
    heading: unsafePanel.querySelector(".cs-prompt"),
    enter() {},
    leave() {},
  };
  const unsafeStates = [...unsafePanel.querySelectorAll("[data-unsafe-state]")];
  const unsafeIds = new Set();
  const showUnsafeState = (state) =>
    unsafeStates.forEach((p) => {
      p.hidden = p.dataset.unsafeState !== state;
    });
  async function raiseUnsafe(text = "") {
    const item = await outbox.add({ kind: "text", sharing: "my_worker", unsafe: "1", text });
    unsafeIds.add(item.client_id);
    return item;
  }
  for (const button of document.querySelectorAll("[data-action='unsafe']")) {
    button.addEventListener("click", async () => {
      showUnsafeState("sending");
      show("unsafe", { speak: false });
      try {
        await raiseUnsafe();
      } catch {
        showUnsafeState("waiting");
      }
      reader.speak([...unsafePanel.querySelectorAll("#unsafe-message > p:not([hidden])")].map((p) => p.textContent));
    });
  }
  unsafePanel.querySelector("[data-action='back']").addEventListener("click", home);
  unsafePanel.querySelector("[data-action='unsafe-more']").addEventListener("click", async (event) => {
    const button = event.currentTarget;
    const field = unsafePanel.querySelector("textarea");
    const status = unsafePanel.querySelector("[data-panel-status]");
    if (!field.value.trim()) {
      status.textContent = strings["nothing-written"];
      field.focus();
      return;
    }
    button.disabled = true; // a second tap would send the same words again
    try {
      await raiseUnsafe(field.value);
    } finally {
      button.disabled = false;
    }
    field.value = "";
    status.textContent = strings.saved;
  });
  // "I pressed it by mistake": offered once an alert has arrived; it never cancels it.
  const mistake = unsafePanel.querySelector("[data-mistake]");
  let lastAlertId = null;
  mistake.querySelector("[data-action='unsafe-mistake']").addEventListener("click", async (event) => {
    const said = mistake.querySelector("[data-mistake-status]");
    const url = root.dataset.mistakeUrl.replace("__ID__", String(lastAlertId));
    const button = event.currentTarget; // null once the handler has awaited
    button.disabled = true;
    let response = null;
    try {
      response = await window.voiceApp.fetch(url, { method: "POST", headers: { Accept: "application/json" } });
    } catch {
      response = null;
    }
    const key = response && response.ok ? "[data-mistake-said]" : "[data-mistake-failed]";
    said.textContent = mistake.querySelector(key).content.textContent.trim();
    if (!(response && response.ok)) button.disabled = false;
    else markMistake(lastAlertId);
  });
  // The child's list says it too, as it does after a reload.
  function markMistake(id) {
    const listed = root.querySelector(`.cs-thing[data-id="${id}"]`);
    if (!listed || listed.querySelector(".cs-thing__mistake")) return;
    const note = document.getElementById("tpl-thing-mistake").content.firstElementChild;
    listed.querySelector(".cs-thing__head").after(note.cloneNode(true));
  }
  outbox.addEventListener("sent", ({ detail }) => {
    if (!unsafeIds.has(detail.item.client_id)) return;
    showUnsafeState("sent");
    if (lastAlertId === null) {
      // The first press is the one a child may take back; "tell us more" messages are not.
      lastAlertId = detail.data.id;
      mistake.hidden = false;
    }
  });
  outbox.addEventListener("waiting", ({ detail }) => {
    if (unsafeIds.has(detail.item.client_id)) showUnsafeState("waiting");
  });
  outbox.addEventListener("ended", () => {
    if (!unsafePanel.hidden) showUnsafeState("waiting");
  });

  // --- the outbox on screen ------------------------------------------------------------------
  const outboxSection = root.querySelector("[data-outbox]");
  const outboxList = outboxSection.querySelector("[data-outbox-list]");
  const outboxIcons = { text: "words", voice: "mic", drawing: "draw", feeling: "face-happy", house: "houses", scale: "scale" };
  let drawing = false;
  let drawAgain = false;
  async function drawOutbox() {
    if (drawing) {
      drawAgain = true;
      return;
    }
    drawing = true;
    try {
      do {
        drawAgain = false;
        const items = await outbox.items();
        const keep = new Set(items.map((item) => item.client_id));
        for (const row of [...outboxList.children]) if (!keep.has(row.dataset.clientId)) row.remove();
        for (const item of items) outboxList.append(outboxRow(item));
        outboxSection.hidden = items.length === 0;
      } while (drawAgain);
    } finally {
      drawing = false;
    }
  }
  function outboxRow(item) {
    let row = outboxList.querySelector(`li[data-client-id="${CSS.escape(item.client_id)}"]`);
    if (!row) {
      row = document.getElementById("tpl-outbox-item").content.firstElementChild.cloneNode(true);
      row.dataset.clientId = item.client_id;
      const unsafe = item.fields.unsafe === "1";
      row.querySelector("[data-slot='icon']").src = pictures[unsafe ? "hand-dark" : outboxIcons[item.fields.kind]] || "";
      row.querySelector("[data-slot='title']").textContent = unsafe
        ? strings["unsafe-title"]
        : strings[`kind-${item.fields.kind}`] || "";
    }
    const phase = outbox.ended ? "ended" : outbox.phaseOf(item);
    const stateText = {
      sending: strings.sending,
      waiting: strings.waiting,
      held: strings.held,
      ended: strings["session-ended"],
    }[phase];
    const state = row.querySelector("[data-slot='state']");
    if (state.textContent !== stateText) state.textContent = stateText;
    const error = row.querySelector("[data-slot='error']");
    error.textContent = phase === "held" ? item.error || "" : "";
    error.hidden = phase !== "held";
    row.querySelector("[data-slot='actions']").hidden = phase !== "held";
    return row;
  }
  outboxList.addEventListener("click", async (event) => {
    const button = event.target.closest("button[data-action]");
    const row = button?.closest("li[data-client-id]");
    if (!row) return;
    const id = row.dataset.clientId;
    if (button.dataset.action === "outbox-retry") outbox.retry(id);
    if (button.dataset.action === "outbox-delete") {
      const yes = row.querySelector("[data-action='outbox-delete-yes']");
      yes.hidden = false;
      yes.focus();
    }
    if (button.dataset.action === "outbox-delete-yes") {
      await outbox.discard(id);
      announce(strings["thrown-away"]);
      (root.querySelector("[data-outbox-list] button") || root.querySelector("#hello-title")).focus();
    }
  });
  outbox.addEventListener("change", drawOutbox);
  outbox.addEventListener("added", () => whoSees.sent());
  outbox.addEventListener("sent", ({ detail }) => {
    // An item that has left the child's view since it was stored is not shown again.
    if (!detail.data.withheld) things.add(detail.data, detail.item.fields);
    announce(strings.sent);
  });
  outbox.addEventListener("held", ({ detail }) => announce(`${strings.held} ${detail.item.error || ""}`));
  outbox.addEventListener("ended", sessionEnded);
  outbox.addEventListener("closed", ({ detail }) => {
    // The case closed while the child was here: what they sent is kept; the page that says
    // so (and sends anything still waiting) replaces this one.
    announce(detail.message || "");
    window.setTimeout(() => window.location.reload(), 4000);
  });
  outbox.addEventListener("no-lasting-store", () => {
    root.querySelector("[data-storage-notice]").hidden = false;
  });

  // Something made but not sent yet (a recording, a drawing, words) is only on the screen:
  // ask before the page goes (a language change reloads it too).
  window.addEventListener("beforeunload", (event) => {
    if (Object.values(panels).some((panel) => panel.dirty)) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  things.start();
  outbox.start();
  if (root.dataset.firstPanel && panels[root.dataset.firstPanel]) {
    show(root.dataset.firstPanel, { focus: false, speak: false });
  }
}

const root = document.getElementById("space");
if (root) main(root);
