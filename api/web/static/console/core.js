// What every view of the console shares: its words, labels of codes, formatting, the staff API
// client, messages to the officer and the one refresh timer. No rule lives here: what a case may
// become, and what a move needs, come from the API.
export const WORDS = JSON.parse(document.getElementById("words").textContent);
export const LANG = document.documentElement.lang;
export const TIMEZONE = document.body.dataset.timezone || "Asia/Kolkata";
const API = "api/v1/staff/";
const LOCALE = LANG + "-IN";

export function word(key, params) {
  let text = key in WORDS ? WORDS[key] : key;
  for (const name in (params || {})) text = text.split("{" + name + "}").join(String(params[name]));
  return text;
}
export function label(kind, code) {
  const key = kind + "." + code;
  return key in WORDS ? WORDS[key] : String(code === null || code === undefined ? "" : code);
}
export function el(id) { return document.getElementById(id); }
export function say(message) { el("notice").textContent = message || ""; }
export function warn(message) { el("alert").textContent = message || ""; }

function stamp(iso) {
  // Stored times are UTC; SQLite hands them back without the zone.
  return new Date(/[zZ]|[+-]\d\d:\d\d$/.test(iso) ? iso : iso + "Z");
}
export function when(iso) {
  if (!iso) return "";
  return new Intl.DateTimeFormat(LOCALE, {dateStyle: "medium", timeStyle: "short",
                                          timeZone: TIMEZONE}).format(stamp(iso));
}
export function day(iso) {
  if (!iso) return "";
  return new Intl.DateTimeFormat(LOCALE, {dateStyle: "medium", timeZone: "UTC"})
    .format(new Date(iso.slice(0, 10) + "T00:00:00Z"));
}
export function today() {
  // The date in the office's zone, as the API checks a payment date (YYYY-MM-DD).
  return new Intl.DateTimeFormat("en-CA", {timeZone: TIMEZONE}).format(new Date());
}
export function number(value) {
  return Number(value || 0).toLocaleString(LOCALE);
}
export function money(value) {
  if (value === null || value === undefined) return "";
  return new Intl.NumberFormat(LOCALE, {style: "currency", currency: "INR",
                                        maximumFractionDigits: 0}).format(value);
}
export function share(value) {
  if (value === null || value === undefined) return "–";
  return new Intl.NumberFormat(LOCALE, {style: "percent", maximumFractionDigits: 0}).format(value);
}

export class ApiError extends Error {
  constructor(status, body) { super(String(status)); this.status = status; this.body = body || {}; }
}
export async function call(path, options) {
  const answer = await fetch(API + path, Object.assign({credentials: "same-origin",
    headers: {"Content-Type": "application/json", "Accept": "application/json"}}, options || {}));
  if (answer.status === 204) return null;
  let body = null;
  try { body = await answer.json(); } catch (ignored) { body = null; }
  if (!answer.ok) throw new ApiError(answer.status, (body && body.error) || {});
  return body;
}
export function post(path, body) {
  return call(path, {method: "POST", body: JSON.stringify(body || {})});
}
export function explain(error) {
  if (!(error instanceof ApiError)) return word("failed");
  const code = error.body.code;
  if (code === "locked_out") {
    return word("locked_out", {minutes: Math.max(1, Math.ceil((error.body.retry_after_s || 60) / 60))});
  }
  if (code === "forbidden") return word("forbidden");
  if (code === "ticket_closed") return word("closed_by_other");
  if (code === "not_found") return word("not_found");
  return word("failed");
}

// The session ended: main.js shows the log-in form (set once at start).
let onSignedOut = () => {};
export function whenSignedOut(task) { onSignedOut = task; }
export function handle(error) {
  if (error instanceof ApiError && error.status === 401) onSignedOut(word("session_expired"));
  else warn(explain(error));
}

// One refresh at a time: each view starts its own and the next view's replaces it.
let timer = null;
export function stopRefresh() { if (timer) { clearInterval(timer); timer = null; } }
export function startRefresh(task, everyMs) { stopRefresh(); timer = setInterval(task, everyMs); }

// Small builders, so that every worker's or officer's text goes in as text, never as HTML.
export function node(tag, text, className) {
  const item = document.createElement(tag);
  if (text !== undefined && text !== null) item.textContent = String(text);
  if (className) item.className = className;
  return item;
}
export function cell(row, text) {
  const td = node("td", text);
  row.appendChild(td);
  return td;
}
export function button(text, onClick, className) {
  const b = node("button", text, className);
  b.type = "button";
  b.addEventListener("click", onClick);
  return b;
}
export function remember(key, value) {
  try { localStorage.setItem("console." + key, value); } catch (ignored) { /* private mode */ }
}
export function recall(key, fallback) {
  try { return localStorage.getItem("console." + key) ?? fallback; } catch (ignored) { return fallback; }
}
