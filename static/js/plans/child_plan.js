// The child's plan page: read aloud buttons, in the page's language only (speech.js).
import { setUpReadAloud } from "../child_space/speech.js";

const root = document.getElementById("child-plan");
if (root) {
  setUpReadAloud(document.body, root.dataset.speechLang, {
    rate: root.dataset.band === "early" ? 0.9 : 1,
    notice: root.querySelector("[data-speech-notice]"),
  });
}
