// Hand-overs: the waiting, handled and closed tickets, one ticket's masked conversation, a reply
// and closing. The staff API masks, audits and delivers; this view only shows and sends.
import {ApiError, button, call, cell, el, handle, label, LANG, node, post, recall, remember,
        say, startRefresh, warn, when, word} from "./core.js";

const REFRESH_MS = 10000;
const TITLE = document.title;
let current = null;       // the ticket on screen, or null for the queue
let seenWaiting = null;   // ids of the waiting tickets at the last look (null: not looked yet)
let showView = () => {};

export function setUp(show) {
  showView = show;
  el("status-filter").addEventListener("change", refilter);
  // An officer who answers only some languages sets this once; the browser remembers it.
  el("language-filter").value = recall("language_filter", "");
  el("language-filter").addEventListener("change", () => {
    remember("language_filter", el("language-filter").value);
    refilter();
  });
  el("refresh").addEventListener("click", loadQueue);
  el("back").addEventListener("click", () => { say(""); showQueue(); });
  el("reply-form").addEventListener("submit", reply);
  el("close").addEventListener("click", closeTicket);
}
export function reset() { current = null; seenWaiting = null; document.title = TITLE; }
function refilter() { seenWaiting = null; loadQueue(); }   // other tickets are not new ones

export async function showQueue() {
  current = null;
  showView("queue");
  await loadQueue();
  startRefresh(loadQueue, REFRESH_MS);
}
function queuePath(status, language) {
  const query = new URLSearchParams({status: status});
  if (language) query.set("language", language);
  return "handoffs?" + query.toString();
}
async function loadQueue() {
  let tickets;
  try {
    tickets = await call(queuePath(el("status-filter").value, el("language-filter").value));
  } catch (error) {
    handle(error);
    return;
  }
  warn("");
  const body = el("tickets");
  body.replaceChildren(...tickets.map(ticketRow));
  el("count").textContent = word("count", {count: tickets.length.toLocaleString(LANG + "-IN")});
  if (el("status-filter").value === "open") announce(tickets);
  else document.title = TITLE;
  el("empty").hidden = tickets.length > 0;
  el("empty").textContent = word("no_tickets");
}
// A console left in a background tab still tells its officer that someone is waiting: the count
// goes into the tab's title, and a ticket not seen before plays a short tone.
function announce(tickets) {
  const count = tickets.length.toLocaleString(LANG + "-IN");
  document.title = tickets.length ? "(" + count + ") " + TITLE : TITLE;
  const ids = new Set(tickets.map((t) => t.id));
  const fresh = seenWaiting !== null && tickets.some((t) => !seenWaiting.has(t.id));
  seenWaiting = ids;
  if (fresh) chime();
}
function chime() {
  try {
    const audio = new AudioContext();
    const tone = audio.createOscillator();
    const volume = audio.createGain();
    tone.frequency.value = 660;
    volume.gain.setValueAtTime(0.15, audio.currentTime);
    volume.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.6);
    tone.connect(volume).connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + 0.6);
    tone.onended = () => audio.close();
  } catch (ignored) { /* no sound on this machine: the title still counts */ }
}
function ticketRow(t) {
  const row = document.createElement("tr");
  row.dataset.id = t.id;
  row.dataset.reference = t.reference;
  cell(row, t.reference);
  cell(row, label("status", t.status));
  cell(row, label("channel", t.channel));
  cell(row, label("language", t.language));
  cell(row, label("reason", t.reason));
  cell(row, t.verified_worker ? word("verified") : word("not_verified"));
  cell(row, when(t.created_at));
  cell(row, t.assigned_name || "");
  const open = button(word("open_ticket"), () => showTicket(t.id));
  open.setAttribute("aria-label", word("open_ticket") + " " + t.reference);
  cell(row, "").appendChild(open);
  return row;
}

export async function showTicket(id) {
  say("");
  const loaded = await loadTicket(id);
  if (!loaded) return;
  showView("ticket");
  el("ticket-title").focus();
  startRefresh(() => pollTicket(id), REFRESH_MS);
}
async function pollTicket(id) {
  // Reading a ticket is audited, so look at the queue (not audited) and reload only on a change.
  // A closed ticket takes no more messages: nothing to look for.
  if (!current || current.status === "closed") return;
  let tickets;
  try {
    tickets = await call(queuePath(current.status, current.language));
  } catch (error) {
    handle(error);
    return;
  }
  const same = tickets.find((t) => t.id === id);
  if (!same || same.updated_at !== current.updated_at) await loadTicket(id);
}
async function loadTicket(id) {
  let t;
  try {
    t = await call("handoffs/" + encodeURIComponent(id));
  } catch (error) {
    handle(error);
    return false;
  }
  warn("");
  current = t;
  el("ticket-title").textContent = word("ticket_heading", {reference: t.reference});
  el("ticket-meta").textContent = [label("status", t.status), label("channel", t.channel),
    label("language", t.language), label("reason", t.reason),
    t.verified_worker ? word("verified") : word("not_verified"), when(t.created_at),
    t.assigned_name ? word("handled_by", {name: t.assigned_name}) : ""].filter(Boolean).join(" · ");
  const items = (t.messages || []).map((m) => {
    const item = node("li", null, m.sender);
    item.appendChild(node("span", label("sender", m.sender) + " · " + when(m.at), "who"));
    item.appendChild(document.createTextNode(m.text));
    return item;
  });
  el("transcript").replaceChildren(...items);
  const closed = t.status === "closed";
  el("delivery").textContent = closed ? "" : label("delivery", t.channel);
  el("reply-form").hidden = closed;
  el("closed-note").hidden = !closed;
  el("closed-note").textContent = word("closed_note");
  return true;
}
async function reply(event) {
  event.preventDefault();
  const text = el("reply").value.trim();
  if (!text) { warn(word("empty_reply")); el("reply").focus(); return; }
  try {
    await post("handoffs/" + current.id + "/reply", {text: text});
  } catch (error) {
    handle(error);   // the typed reply stays in the box
    return;
  }
  el("reply").value = "";
  await loadTicket(current.id);
  say(word("reply_sent"));
}
async function closeTicket() {
  if (!current || !window.confirm(word("close_confirm"))) return;
  try {
    await post("handoffs/" + current.id + "/close");
  } catch (error) {
    if (!(error instanceof ApiError)) warn(word("failed"));
    else handle(error);
    return;
  }
  await loadTicket(current.id);
  say(word("closed_note"));
}
