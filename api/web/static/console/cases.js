// The work queues: one tab per kind of case with its open count, filters (status, language,
// district; the browser remembers them), oldest first, a page at a time. The kinds and their
// statuses come from the API's rules; the queue, its counts and "overdue" from the queue itself.
import {button, call, cell, day, el, handle, label, node, number, recall, remember,
        startRefresh, warn, when, word} from "./core.js";

const REFRESH_MS = 15000;
const PAGE = 25;
let rules = null;
let kind = null;
let offset = 0;
let openCase = () => {};
let showView = () => {};

export function setUp(show, caseOpener, loadedRules) {
  showView = show;
  openCase = caseOpener;
  rules = loadedRules;
  const kinds = Object.keys(rules.kinds);
  kind = kinds.includes(recall("cases.kind", "")) ? recall("cases.kind", "") : kinds[0];
  el("kind-tabs").replaceChildren(...kinds.map(kindTab));
  el("case-language").value = recall("cases.language", "");
  el("case-district").value = recall("cases.district", "");
  el("case-status").addEventListener("change", () => {
    remember("cases.status." + kind, el("case-status").value);
    offset = 0;
    loadQueue();
  });
  el("case-language").addEventListener("change", () => {
    remember("cases.language", el("case-language").value);
    offset = 0;
    loadQueue();
  });
  el("case-filters").addEventListener("submit", (event) => {
    event.preventDefault();
    remember("cases.district", el("case-district").value.trim());
    offset = 0;
    loadQueue();
  });
  el("case-prev").addEventListener("click", () => { offset = Math.max(0, offset - PAGE); loadQueue(); });
  el("case-next").addEventListener("click", () => { offset += PAGE; loadQueue(); });
  el("kind-tabs").addEventListener("keydown", moveBetweenTabs);
}

function kindTab(code) {
  const tab = button("", () => chooseKind(code));
  tab.id = "kind-" + code;
  tab.dataset.kind = code;
  tab.setAttribute("role", "tab");
  tab.setAttribute("aria-controls", "case-panel");
  tab.appendChild(node("span", word("kind_tab." + code), "tab-name"));
  tab.appendChild(node("span", "", "count-badge"));
  return tab;
}
function markTabs() {
  for (const tab of el("kind-tabs").querySelectorAll("[role=tab]")) {
    const chosen = tab.dataset.kind === kind;
    tab.setAttribute("aria-selected", chosen ? "true" : "false");
    tab.tabIndex = chosen ? 0 : -1;
  }
  el("case-panel").setAttribute("aria-labelledby", "kind-" + kind);
}
function moveBetweenTabs(event) {
  const tabs = [...el("kind-tabs").querySelectorAll("[role=tab]")];
  const at = tabs.findIndex((t) => t.dataset.kind === kind);
  const step = {ArrowRight: 1, ArrowLeft: -1}[event.key];
  if (step === undefined) return;
  event.preventDefault();
  const next = tabs[(at + step + tabs.length) % tabs.length];
  chooseKind(next.dataset.kind);
  next.focus();
}
function chooseKind(code) {
  kind = code;
  offset = 0;
  remember("cases.kind", code);
  loadQueue();
}

function statusOptions(counts) {
  const wanted = recall("cases.status." + kind, "");
  const openTotal = rules.kinds[kind].open.reduce((sum, s) => sum + (counts[s] || 0), 0);
  const first = node("option", word("all_open", {count: number(openTotal)}));
  first.value = "";
  const options = [first, ...rules.kinds[kind].statuses.map((status) => {
    const option = node("option", word("status_count",
      {status: label("case_status", status), count: number(counts[status] || 0)}));
    option.value = status;
    return option;
  })];
  el("case-status").replaceChildren(...options);
  el("case-status").value = rules.kinds[kind].statuses.includes(wanted) ? wanted : "";
}

export async function showCases() {
  showView("cases");
  await loadQueue();
  startRefresh(loadQueue, REFRESH_MS);
}
function query(forKind, status, limit, from) {
  const q = new URLSearchParams({kind: forKind, limit: String(limit), offset: String(from)});
  if (status) q.set("status", status);
  if (el("case-language").value) q.set("language", el("case-language").value);
  const district = el("case-district").value.trim();
  if (district) q.set("district", district);
  return "cases?" + q.toString();
}
export async function loadQueue() {
  markTabs();
  const status = recall("cases.status." + kind, "");
  let page;
  try {
    const [chosen, ...others] = await Promise.all([
      call(query(kind, rules.kinds[kind].statuses.includes(status) ? status : "", PAGE, offset)),
      ...Object.keys(rules.kinds).filter((k) => k !== kind).map((k) => call(query(k, "", 1, 0))),
    ]);
    page = chosen;
    const totals = {[kind]: openCount(chosen.counts, kind)};
    Object.keys(rules.kinds).filter((k) => k !== kind)
      .forEach((k, i) => { totals[k] = openCount(others[i].counts, k); });
    for (const [code, total] of Object.entries(totals)) {
      const badge = el("kind-" + code).querySelector(".count-badge");
      badge.textContent = number(total);
      badge.setAttribute("aria-label", word("open_count", {count: number(total)}));
    }
  } catch (error) {
    handle(error);
    return;
  }
  warn("");
  statusOptions(page.counts);
  el("case-rows").replaceChildren(...page.items.map(caseRow));
  el("case-empty").hidden = page.items.length > 0;
  el("case-empty").textContent = word("no_cases");
  const last = Math.min(page.total, page.offset + page.items.length);
  el("case-range").textContent = page.total
    ? word("range", {from: number(page.offset + 1), to: number(last), total: number(page.total)})
    : "";
  el("case-prev").disabled = page.offset === 0;
  el("case-next").disabled = last >= page.total;
}
function openCount(counts, forKind) {
  return rules.kinds[forKind].open.reduce((sum, s) => sum + (counts[s] || 0), 0);
}
function caseRow(c) {
  const row = document.createElement("tr");
  row.dataset.reference = c.reference;
  cell(row, c.reference);
  cell(row, label("case_status", c.status));
  cell(row, label("language", c.language));
  cell(row, label("channel", c.channel));
  cell(row, c.district || "–");
  cell(row, c.scheme ? label("scheme", c.scheme) : "–");
  cell(row, when(c.created_at));
  const due = cell(row, c.due_at ? day(c.due_at) : "–");
  if (c.overdue) {
    row.classList.add("overdue");
    due.appendChild(document.createTextNode(" "));
    due.appendChild(node("span", word("overdue"), "badge late"));
  }
  const open = button(word("open_case"), () => openCase(c.reference));
  open.setAttribute("aria-label", word("open_case") + " " + c.reference);
  cell(row, "").appendChild(open);
  return row;
}
export function districts(names) {
  const list = el("district-list");
  list.replaceChildren(...names.filter((n) => n && n !== "-").map((n) => {
    const option = document.createElement("option");
    option.value = n;
    return option;
  }));
}
