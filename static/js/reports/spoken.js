// A family member's comment on a report, spoken instead of typed: recorded in the page
// (as the family space's own words are) into the form's file field. Without this script,
// choosing a file (the phone's recorder) still works.

import { recordIntoForm } from "../family/record_into_form.js";

function enhance(form) {
  const part = form.querySelector("[data-recorder]");
  const input = form.querySelector("input[type=file][name=media]");
  if (recordIntoForm(form, part, input)) part.hidden = false;
}

document.querySelectorAll("form[data-spoken-comment]").forEach(enhance);
