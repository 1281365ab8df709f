// The supervisors' dashboard: open cases by kind, status, district, scheme and language, the
// oldest, those past their due date, call-backs waiting, conversations per channel and language
// and the share finished without a person; refreshed every 30 seconds, with a CSV export.
import {call, cell, el, handle, label, node, number, recall, remember, share, startRefresh,
        warn, when, word} from "./core.js";
import {barChart} from "./charts.js";

const REFRESH_MS = 30000;
let showView = () => {};
let onDistricts = () => {};

export function setUp(show, districtsSeen) {
  showView = show;
  onDistricts = districtsSeen;
  el("dash-days").value = recall("dashboard.days", "30");
  el("dash-days").addEventListener("change", () => {
    remember("dashboard.days", el("dash-days").value);
    load();
  });
}
export function setRole(supervisor) {
  el("dash-csv").hidden = !supervisor;   // the API gives the CSV to supervisors only
}

export async function showDashboard() {
  showView("dashboard");
  await load();
  startRefresh(load, REFRESH_MS);
}

export async function load() {
  const days = el("dash-days").value || "30";
  el("dash-csv").href = "api/v1/staff/dashboard.csv?days=" + encodeURIComponent(days);
  let data;
  try {
    data = await call("dashboard?days=" + encodeURIComponent(days));
  } catch (error) {
    handle(error);
    return false;
  }
  warn("");
  const open = data.open_cases;
  figures([
    ["open", number(open.total)],
    ["past_due", number(open.past_due)],
    ["callbacks_waiting", number(open.callbacks_waiting)],
    ["oldest", open.oldest_age_days === null ? "–" : word("days", {count: number(open.oldest_age_days)})],
    ["without_person", share(data.without_person_share)],
    ["outbox_failed", number(data.outbox_failed)],  // listed: api/v1/staff/outbox/failed
  ]);
  const by = open.by;
  const chart = (name, rows) => barChart("chart-" + name, word("chart." + name), rows, word("no_cases"));
  el("dash-charts").replaceChildren(
    chart("kind", entries(by.kind, (k) => label("casework.kind", k))),
    chart("status", entries(by.status, statusName)),
    chart("district", entries(by.district, place)),
    chart("scheme", entries(by.scheme, (s) => s === "-" ? word("none") : label("scheme", s))),
    chart("language", entries(by.language, (l) => label("language", l))),
  );
  conversations(data.conversations);
  el("dash-updated").textContent = word("updated_at", {when: when(data.generated_at)});
  onDistricts(Object.keys(by.district));
  return true;
}
function entries(counts, name) {
  return Object.entries(counts || {}).map(([key, value]) => [name(key), value]);
}
function statusName(key) {
  const [kind, status] = key.split(":");
  return label("casework.kind", kind) + ": " + label("case_status", status);
}
function place(name) { return name === "-" ? word("none") : name; }
function figures(rows) {
  const list = el("dash-figures");
  list.replaceChildren();
  for (const [key, value] of rows) {
    const box = node("div", null, "figure");
    box.dataset.figure = key;
    box.append(node("dt", word("figure." + key)), node("dd", value));
    list.appendChild(box);
  }
}
function conversations(rows) {
  el("dash-conversations").replaceChildren(...rows.map((r) => {
    const row = node("tr");
    cell(row, label("channel", r.channel));
    cell(row, label("language", r.language));
    cell(row, r.conversations === null ? word("not_counted") : number(r.conversations));
    cell(row, number(r.handed_over));
    cell(row, share(r.without_person_share));
    return row;
  }));
  el("dash-conversations-none").hidden = rows.length > 0;
  el("dash-conversations-none").textContent = word("no_conversations");
}
