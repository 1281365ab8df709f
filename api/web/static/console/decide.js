// Deciding a case: one button per move the API allows now; a move's fields are what its rule
// needs (amount, paid_on, reason, documents, note; from GET casework/rules). The version read is
// sent back, so a case changed meanwhile is refused (409 stale): it is reloaded and the officer
// told. A refused field is shown beside its input in the officer's language.
import {ApiError, button, day, el, explain, handle, label, money, node, post, say, today, warn,
        word, WORDS} from "./core.js";

let rules = null;
let showDetail = () => {};
let reload = async () => {};
let detail = null;
let open = null;   // the move being filled in, or null

export function setUp(loadedRules, renderCase, reloadCase) {
  rules = loadedRules;
  showDetail = renderCase;
  reload = reloadCase;
  el("decision-form").addEventListener("submit", submit);
  el("decision-cancel").addEventListener("click", () => { close(); el("moves").focus(); });
}
export function busy() { return open !== null; }

// Call-back outcomes are recorded with "call" (callback.js), not as decisions.
function moves(d) {
  const outcomes = d.kind === "callback" ? rules.call_outcomes : [];
  return d.allowed.filter((target) => !outcomes.includes(target));
}
export function render(d) {
  detail = d;
  close();
  const allowed = moves(d);
  el("moves").replaceChildren(...allowed.map((target) => {
    const b = button(word("move." + target), () => start(target), target === "rejected" ? "danger" : "primary");
    b.dataset.move = target;
    return b;
  }));
  el("no-moves").hidden = allowed.length > 0 || d.kind === "callback";
  el("no-moves").textContent = d.open ? word("no_moves") : word("case_closed");
}
function close() {
  open = null;
  el("decision-form").hidden = true;
  el("decision-fields").replaceChildren();
}
function needsOf(target) {
  const rule = rules.kinds[detail.kind].moves.find((m) => m.source === detail.status && m.target === target);
  return rule ? rule.needs : [];
}

function start(target) {
  open = target;
  warn("");
  const needs = needsOf(target);
  el("decision-heading").textContent = word("move." + target);
  const fields = [];
  if (needs.includes("amount")) fields.push(amountField(target));
  if (needs.includes("paid_on")) fields.push(paidOnField());
  if (needs.includes("documents")) fields.push(documentsField());
  if (needs.includes("reason")) fields.push(reasonField());
  fields.push(noteField(needs.includes("note")));
  el("decision-fields").replaceChildren(...fields);
  el("decision-submit").textContent = word("confirm_move", {move: word("move." + target)});
  el("decision-form").hidden = false;
  const first = el("decision-fields").querySelector("input, select, textarea");
  if (first) first.focus();
}
function field(name, labelText, input, hint) {
  const box = node("div", null, "field");
  input.id = "decision-" + name;
  input.name = name;
  const lab = node("label", labelText);
  lab.htmlFor = input.id;
  const error = node("p", "", "field-error");
  error.id = input.id + "-error";
  const described = [error.id];
  box.append(lab, input);
  if (hint) {
    const help = node("p", hint, "hint");
    help.id = input.id + "-hint";
    described.push(help.id);
    box.appendChild(help);
  }
  input.setAttribute("aria-describedby", described.join(" "));
  box.appendChild(error);
  return box;
}
function amountField(target) {
  const input = node("input");
  input.type = "number";
  input.min = "1";
  input.step = "1";
  input.inputMode = "numeric";
  input.setAttribute("aria-required", "true");
  const r = detail.request || {};
  const most = rules.claim_limits[r.claim_type];
  // The amount the office decided on before, as a start: the approved one when paying.
  const start = target === "paid" ? r.amount_approved : Math.min(r.amount_claimed || 0, most || Infinity);
  if (start) input.value = String(start);
  const hint = target === "paid" ? word("hint.amount_paid", {amount: money(r.amount_approved)})
    : (most ? word("hint.amount_max", {amount: money(most)}) : "");
  return field("amount", word("field.amount"), input, hint);
}
function paidOnField() {
  const input = node("input");
  input.type = "date";
  input.max = today();
  input.value = today();
  input.setAttribute("aria-required", "true");
  const r = detail.request || {};
  if (r.submitted_on) input.min = r.submitted_on;
  return field("paid_on", word("field.paid_on"), input,
    r.submitted_on ? word("hint.paid_on", {day: day(r.submitted_on)}) : "");
}
function documentsField() {
  // The claim type's own documents (the API's list); those still pending are ticked.
  const set = node("fieldset", null, "field");
  set.id = "decision-documents";
  set.appendChild(node("legend", word("field.documents")));
  const pending = new Set((detail.request.documents || []).filter((d) => d.status === "pending").map((d) => d.code));
  const codes = detail.request.document_codes || rules.claim_documents[detail.request.claim_type] || [];
  for (const code of codes) {
    const row = node("label", null, "check");
    const box = node("input");
    box.type = "checkbox";
    box.name = "documents";
    box.value = code;
    box.checked = pending.has(code);
    row.append(box, document.createTextNode(" " + label("doc", code)));
    set.appendChild(row);
  }
  const error = node("p", "", "field-error");
  error.id = "decision-documents-error";
  set.setAttribute("aria-describedby", error.id);
  set.appendChild(error);
  return set;
}
function reasonField() {
  const select = node("select");
  const none = node("option", word("choose_reason"));
  none.value = "";
  select.appendChild(none);
  for (const code of detail.reason_codes || []) {
    const option = node("option", label("reason", code));
    option.value = code;
    select.appendChild(option);
  }
  select.setAttribute("aria-required", "true");
  return field("reason", word("field.reason"), select, word("hint.reason"));
}
function noteField(needed) {
  const area = node("textarea");
  area.maxLength = 2000;
  if (needed) area.setAttribute("aria-required", "true");
  return field("note", needed ? word("field.note_for_worker") : word("field.note"), area,
    needed ? word("hint.note_sent") : word("hint.note_internal"));
}

function body() {
  const out = {status: open, version: detail.version};
  const value = (name) => { const input = el("decision-" + name); return input ? input.value.trim() : null; };
  if (el("decision-amount")) out.amount = value("amount") === "" ? null : Number(value("amount"));
  if (el("decision-paid_on")) out.paid_on = value("paid_on") || null;
  if (el("decision-reason")) out.reason = value("reason") || null;
  if (el("decision-documents")) {
    out.documents = [...el("decision-documents").querySelectorAll("input:checked")].map((b) => b.value);
  }
  out.note = value("note") || "";
  return out;
}
function clearErrors() {
  for (const error of el("decision-fields").querySelectorAll(".field-error")) error.textContent = "";
  for (const input of el("decision-fields").querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
}
async function submit(event) {
  event.preventDefault();
  if (!open) return;
  clearErrors();
  let updated;
  try {
    updated = await post("cases/" + encodeURIComponent(detail.reference) + "/decisions", body());
  } catch (error) {
    await refused(error);
    return;
  }
  open = null;
  showDetail(updated);
  say(word("decided", {reference: updated.reference, status: label("case_status", updated.status)}));
  el("moves").focus();
}
async function refused(error) {
  if (!(error instanceof ApiError) || error.status === 401) { handle(error); return; }
  const code = error.body.code;
  if (code === "stale" || code === "invalid_transition") {
    open = null;
    await reload(word(code === "stale" ? "stale" : "invalid_transition"));
    return;
  }
  if (error.status === 422 || ["invalid_date", "missing_field"].includes(code)) {
    const where = error.body.field;
    const input = where ? el("decision-" + where) : null;
    const message = fieldMessage(error.body);
    if (input) {
      el("decision-" + where + "-error").textContent = message;
      input.setAttribute("aria-invalid", "true");
      (input.querySelector ? input.querySelector("input") || input : input).focus();
    }
    warn(message);
    return;
  }
  warn(explain(error));
}
function fieldMessage(body) {
  const name = word("field." + (body.field || "value"));
  const key = "error." + body.code;
  let text = word(key in WORDS ? key : "error.invalid_input", {field: name});
  if (body.maximum !== undefined && body.maximum !== null) text += " " + word("error.maximum", {amount: money(body.maximum)});
  return text;
}
