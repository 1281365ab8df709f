// The console's start: log-in, the views (hand-overs, cases, dashboard, officer accounts, the
// officer's own sign-in) and moving between them. Each view lives in its own module; this one
// only wires them together.
import {ApiError, call, el, explain, label, say, stopRefresh, warn, whenSignedOut,
        word} from "./core.js";
import * as handoffs from "./handoffs.js";
import * as cases from "./cases.js";
import * as caseView from "./case.js";
import * as dashboard from "./dashboard.js";
import * as officers from "./officers.js";
import * as security from "./security.js";

const VIEWS = ["login", "queue", "ticket", "cases", "case", "dashboard", "officers", "security"];
const TAB = {queue: "handoffs", ticket: "handoffs", cases: "cases", case: "cases",
             dashboard: "dashboard", officers: "officers", security: "security"};
let ready = false;

function show(part) {
  for (const id of VIEWS) el(id).hidden = id !== part;
  el("who-box").hidden = part === "login";
  el("views").hidden = part === "login";
  for (const b of el("views").querySelectorAll("button[data-view]")) {
    if (b.dataset.view === TAB[part]) b.setAttribute("aria-current", "page");
    else b.removeAttribute("aria-current");
  }
}
function showLogin(message) {
  stopRefresh();
  handoffs.reset();
  show("login");
  say("");
  warn(message || "");
  el("username").focus();
}

async function prepare() {
  // The rules need a session; they are the same for everyone, so read once.
  if (ready) return;
  const rules = await call("casework/rules");
  handoffs.setUp(show);
  caseView.setUp(show, (id) => handoffs.showTicket(id), rules);
  cases.setUp(show, (ref) => caseView.showCase(ref), rules);
  dashboard.setUp(show, cases.districts);
  officers.setUp(show);
  security.setUp(show);
  ready = true;
}
async function signedIn(me) {
  try {
    await prepare();
  } catch (error) {
    showLogin(error instanceof ApiError && error.status === 401 ? "" : explain(error));
    return;
  }
  el("who").textContent = word("signed_in", {name: me.name || me.username})
    + " (" + label("role", me.role) + ")";
  const supervisor = me.role === "supervisor";
  el("nav-officers").hidden = !supervisor;
  dashboard.setRole(supervisor);
  handoffs.showQueue();
}

async function login(event) {
  event.preventDefault();
  warn("");
  try {
    const code = el("totp-code").value.replace(/\s+/g, "");
    const me = await call("login", {method: "POST", body: JSON.stringify({
      username: el("username").value.trim(), password: el("password").value,
      ...(code ? {code} : {})})});
    el("password").value = "";
    el("totp-code").value = "";
    await signedIn(me);
  } catch (error) {
    el("password").value = "";
    el("totp-code").value = "";
    if (error instanceof ApiError && error.status === 401) warn(word("login_failed"));
    else warn(explain(error));
  }
}
async function logout() {
  try { await call("logout", {method: "POST"}); } catch (ignored) { /* the cookie is gone anyway */ }
  showLogin("");
}

const OPEN = {
  handoffs: () => handoffs.showQueue(),
  cases: () => cases.showCases(),
  dashboard: () => dashboard.showDashboard(),
  officers: () => officers.showOfficers(),
  security: () => security.showSecurity(),
};
whenSignedOut(showLogin);
el("login-form").addEventListener("submit", login);
el("logout").addEventListener("click", logout);
el("views").addEventListener("click", (event) => {
  const target = event.target.closest("button[data-view]");
  if (!target) return;
  say("");
  warn("");
  OPEN[target.dataset.view]();
});
el("case-back").addEventListener("click", () => { say(""); cases.showCases(); });

(async function start() {
  try {
    await signedIn(await call("me"));
  } catch (error) {
    showLogin(error instanceof ApiError && error.status === 401 ? "" : explain(error));
  }
})();
