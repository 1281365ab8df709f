// A call-back case: the number to ring, big; "call" asks the API to ring the officer's own phone
// and connect it to the worker; then what came of it (reached, no answer, wrong number). The API
// counts the attempts and closes the case after the last unanswered one.
import {ApiError, button, el, explain, handle, label, node, number, post, say, warn,
        word} from "./core.js";

let rules = null;
let showDetail = () => {};
let reload = async () => {};
let detail = null;

export function setUp(loadedRules, renderCase, reloadCase) {
  rules = loadedRules;
  showDetail = renderCase;
  reload = reloadCase;
  el("call-button").addEventListener("click", placeCall);
}

export function render(d) {
  detail = d;
  const panel = el("callback");
  panel.hidden = d.kind !== "callback";
  if (panel.hidden) return;
  const r = d.request || {};
  const phone = el("callback-phone");
  phone.textContent = r.phone || "";
  phone.href = "tel:" + (r.phone || "");
  el("callback-attempts").textContent = word("attempts",
    {count: number(r.attempts || 0), max: number(r.max_attempts || rules.max_call_attempts)})
    + (r.last_outcome ? " · " + word("last_outcome", {outcome: word("outcome." + r.last_outcome)}) : "");
  el("callback-transcript").replaceChildren(...(r.transcript || []).map((line) => {
    const item = node("li", null, line.sender);
    item.appendChild(node("span", label("sender", line.sender), "who"));
    item.appendChild(document.createTextNode(line.text));
    return item;
  }));
  el("callback-transcript-heading").hidden = !(r.transcript || []).length;
  el("call-controls").hidden = !d.open;
  el("call-outcomes").replaceChildren(...rules.call_outcomes
    .filter((o) => o === "no_answer" || d.allowed.includes(o))
    .map((o) => {
      const b = button(word("outcome." + o), () => record(o), o === "reached" ? "primary" : "");
      b.dataset.outcome = o;
      return b;
    }));
}

async function placeCall() {
  warn("");
  let placed;
  try {
    placed = await post("cases/" + encodeURIComponent(detail.reference) + "/call", {version: detail.version});
  } catch (error) {
    await refused(error);
    return;
  }
  await reload();
  say(word("call_placed", {phone: placed.to}));
}
async function record(outcome) {
  warn("");
  let updated;
  try {
    updated = await post("cases/" + encodeURIComponent(detail.reference) + "/call",
      {version: detail.version, outcome: outcome, note: el("callback-note").value.trim()});
  } catch (error) {
    await refused(error);
    return;
  }
  el("callback-note").value = "";
  showDetail(updated);
  say(word("outcome_saved", {outcome: word("outcome." + outcome)}));
}
async function refused(error) {
  if (!(error instanceof ApiError) || error.status === 401) { handle(error); return; }
  const code = error.body.code;
  if (code === "stale") { await reload(word("stale")); return; }
  if (code === "invalid_transition") { await reload(word("invalid_transition")); return; }
  if (code === "no_officer_phone" || code === "call_failed") { warn(word(code)); return; }
  warn(explain(error));
}
