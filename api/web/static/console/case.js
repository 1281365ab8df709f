// One case: what was asked, the worker's masked record, the timeline, linked hand-overs, and the
// moves this officer may make now (the API's `allowed`). Every note and every worker's text is
// shown as text.
import {call, day, el, handle, label, LANG, money, node, number, say, startRefresh, warn, when,
        word, WORDS} from "./core.js";
import * as decide from "./decide.js";
import * as callback from "./callback.js";

const REFRESH_MS = 15000;
let current = null;
let showView = () => {};
let openTicket = () => {};

export function setUp(show, ticketOpener, rules) {
  showView = show;
  openTicket = ticketOpener;
  decide.setUp(rules, render, reload);
  callback.setUp(rules, render, reload);
}
export function reference() { return current ? current.reference : null; }

export async function showCase(ref) {
  say("");
  const loaded = await load(ref);
  if (!loaded) return;
  showView("case");
  el("case-title").focus();
  startRefresh(() => poll(ref), REFRESH_MS);
}
async function load(ref) {
  let detail;
  try {
    detail = await call("cases/" + encodeURIComponent(ref));
  } catch (error) {
    handle(error);
    return false;
  }
  warn("");
  render(detail);
  return true;
}
// Another officer's decision shows up without a reload; a form being filled is left alone.
async function poll(ref) {
  if (!current || decide.busy()) return;
  try {
    const seen = await call("cases?" + new URLSearchParams({kind: current.kind,
      status: current.status, limit: "200"}).toString());
    const line = seen.items.find((c) => c.reference === ref);
    if (!line || line.version !== current.version) await load(ref);
  } catch (error) {
    handle(error);
  }
}
export async function reload(message) {
  if (!current) return;
  await load(current.reference);
  if (message) warn(message);
}

export function render(detail) {
  current = detail;
  el("case-title").textContent = word("case_heading",
    {kind: label("casework.kind", detail.kind), reference: detail.reference});
  const meta = [label("case_status", detail.status), label("language", detail.language),
    label("channel", detail.channel), detail.district, detail.scheme ? label("scheme", detail.scheme) : "",
    word("filed_at", {when: when(detail.created_at)}),
    detail.due_at ? word("due_on", {day: day(detail.due_at)}) : ""].filter(Boolean);
  el("case-meta").textContent = meta.join(" · ");
  el("case-overdue").hidden = !detail.overdue;
  el("case-overdue").textContent = word("overdue_long");
  facts(el("case-request"), [...requestFacts(detail), [word("field.filed_by_helper"), helperText(detail.helper)]]);
  facts(el("case-worker"), workerFacts(detail.worker));
  el("case-worker-none").hidden = Boolean(detail.worker);
  el("case-worker-none").textContent = word("no_worker");
  timeline(detail.timeline || []);
  handovers(detail.handoffs || []);
  callback.render(detail);
  decide.render(detail);
}

function facts(list, rows) {
  list.replaceChildren();
  for (const [term, value] of rows) {
    if (value === null || value === undefined || value === "") continue;
    list.appendChild(node("dt", term));
    list.appendChild(node("dd", value));
  }
}
function requestFacts(d) {
  const r = d.request || {};
  const f = (key) => word("field." + key);
  if (d.kind === "claim") {
    const docs = (r.documents || []).map((x) => label("doc", x.code) + ": " + label("doc_status", x.status));
    return [[f("claim_type"), label("claim_type", r.claim_type)], [f("incident_date"), day(r.incident_date)],
      [f("description"), r.description], [f("bank_account"), r.bank_account],
      [f("submitted_on"), day(r.submitted_on)], [f("amount_claimed"), money(r.amount_claimed)],
      [f("amount_approved"), money(r.amount_approved)], [f("amount_paid"), money(r.amount_paid)],
      [f("paid_on"), day(r.paid_on)], [f("documents"), docs.join("; ")]];
  }
  if (d.kind === "renewal") {
    return [[f("scheme"), label("scheme", r.scheme)], [f("member_id"), r.member_id],
      [f("membership_status"), label("membership", r.membership_status)],
      [f("valid_until"), day(r.valid_until)]];
  }
  if (d.kind === "restart") {
    return [[f("scheme"), label("scheme", r.scheme)], [f("monthly_amount"), money(r.monthly_amount)],
      [f("pension_status"), label("membership", r.pension_status)], [f("stop_reason"), r.stop_reason],
      [f("stopped_on"), day(r.stopped_on)], [f("restarted_on"), day(r.restarted_on)],
      [f("worker_note"), r.note]];
  }
  if (d.kind === "correction") {
    const docs = (r.documents || []).map((group) => group.map((c) => label("doc", c)).join(" / "));
    return [[f("field"), label("correction_field", r.field)], [f("current"), r.current],
      [f("requested"), r.field === "date_of_birth" ? day(r.requested) : r.requested],
      [f("documents_needed"), docs.join("; ")], [f("applied_at"), when(r.applied_at)]];
  }
  if (d.kind === "complaint") {
    return [[f("category"), label("feedback_category", r.category)], [f("text"), r.text],
      [f("anonymous"), r.anonymous ? word("yes") : word("no")]];
  }
  return [[f("source"), label("source", r.source)], [f("reason"), r.reason]];
}
// a helper who acted for the worker with the worker's consent: name and relation, or nothing
function helperText(h) {
  if (!h) return "";
  return word("helper_named", {name: h.name || word("helper_unnamed"),
    relation: word("helper_relation." + h.relation)});
}
function workerFacts(w) {
  if (!w) return [];
  const f = (key) => word("field." + key);
  return [[f("name"), (w.name || {})[LANG] || (w.name || {}).en], [f("uan"), w.uan],
    [f("phone"), w.phone], [f("aadhaar"), w.aadhaar], [f("bank_account"), w.bank_account],
    [f("address"), w.address],
    [f("district"), w.district], [f("state"), w.state], [f("occupation"), w.occupation],
    [f("preferred_language"), label("language", w.preferred_language)],
    [f("notify_by_call"), w.notify_by_call ? word("yes") : word("no")]];
}
function timeline(events) {
  el("case-timeline").replaceChildren(...events.map((e) => {
    const item = node("li");
    const head = !e.from ? word("opened", {status: label("case_status", e.to)})
      : e.from !== e.to ? word("moved", {from: label("case_status", e.from), to: label("case_status", e.to)})
        : word("noted");
    item.appendChild(node("strong", head));
    item.appendChild(node("span", " · " + when(e.at) + " · " + actor(e), "who"));
    const details = [];
    // a refusal's reason code, or what a call-back attempt came to
    if (e.reason) details.push(("reason." + e.reason) in WORDS ? WORDS["reason." + e.reason] : label("event", e.reason));
    if (e.amount !== null && e.amount !== undefined) details.push(money(e.amount));
    if (e.paid_on) details.push(word("paid_on_day", {day: day(e.paid_on)}));
    if ((e.documents || []).length) details.push(e.documents.map((c) => label("doc", c)).join(", "));
    if (details.length) item.appendChild(node("p", details.join(" · ")));
    if (e.note) item.appendChild(node("p", e.note, "note"));
    return item;
  }));
}
function actor(e) {
  const who = String(e.actor || "");
  if (who.startsWith("staff:")) return word("by_staff", {name: who.slice(6), role: label("role", e.role)});
  return label("role", e.role);
}
function handovers(tickets) {
  el("case-handoffs-none").hidden = tickets.length > 0;
  el("case-handoffs-none").textContent = word("no_linked");
  el("case-handoffs").replaceChildren(...tickets.map((t) => {
    const item = node("li");
    const open = node("button", word("ticket_heading", {reference: t.reference}));
    open.type = "button";
    open.addEventListener("click", () => openTicket(t.id));
    item.appendChild(open);
    item.appendChild(node("span", " " + [label("status", t.status), label("channel", t.channel),
      label("language", t.language), when(t.created_at)].join(" · ")));
    return item;
  }));
}
export function attemptsText(r) {
  return word("attempts", {count: number(r.attempts || 0), max: number(r.max_attempts || 0)});
}
