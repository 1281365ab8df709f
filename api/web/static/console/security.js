// An officer's own second factor (TOTP): set it up (the password again, then the key shown in
// groups and as an otpauth:// link for the authenticator app, then the app's first code before
// anything takes effect) or turn it off with a current code. The API checks and audits each step.
import {ApiError, call, el, handle, post, say, warn, word} from "./core.js";

let showView = () => {};
let ticket = null;  // the pending set-up, sent back with the first code; never stored

export function setUp(show) {
  showView = show;
  el("totp-start-form").addEventListener("submit", start);
  el("totp-confirm-form").addEventListener("submit", confirm);
  el("totp-off-form").addEventListener("submit", turnOff);
  el("totp-cancel").addEventListener("click", () => { warn(""); render(false); });
}

export async function showSecurity() {
  showView("security");
  let state;
  try {
    state = await call("me/totp");
  } catch (error) {
    handle(error);
    return;
  }
  render(state.enabled);
}
function render(enabled) {
  ticket = null;
  for (const id of ["totp-password", "totp-first-code", "totp-off-code"]) el(id).value = "";
  el("totp-secret").textContent = "";
  el("totp-uri").textContent = "";
  el("totp-link").href = "#";
  el("totp-state").textContent = word(enabled ? "totp_on" : "totp_off");
  el("totp-start-form").hidden = enabled;
  el("totp-setup").hidden = true;
  el("totp-off-form").hidden = !enabled;
}
function refused(error) {
  if (!(error instanceof ApiError) || error.status === 401 || error.status === 423) {
    handle(error);
    return;
  }
  const field = error.body.field;
  if (field === "password") warn(word("totp_wrong_password"));
  else if (field === "code") warn(word("totp_wrong_code"));
  else if (field === "ticket") { warn(word("totp_expired")); render(false); }
  else handle(error);
}
async function start(event) {
  event.preventDefault();
  warn("");
  let setup;
  try {
    setup = await post("me/totp/start", {password: el("totp-password").value});
  } catch (error) {
    el("totp-password").value = "";
    refused(error);
    return;
  }
  el("totp-password").value = "";
  ticket = setup.ticket;
  el("totp-secret").textContent = setup.secret_groups;
  el("totp-uri").textContent = setup.uri;
  el("totp-link").href = setup.uri;
  el("totp-start-form").hidden = true;
  el("totp-setup").hidden = false;
  el("totp-first-code").focus();
}
async function confirm(event) {
  event.preventDefault();
  warn("");
  const code = el("totp-first-code").value.replace(/\s+/g, "");
  try {
    await post("me/totp/confirm", {ticket: ticket, code: code});
  } catch (error) {
    el("totp-first-code").value = "";
    refused(error);
    return;
  }
  render(true);
  say(word("totp_enabled_note"));
}
async function turnOff(event) {
  event.preventDefault();
  warn("");
  const code = el("totp-off-code").value.replace(/\s+/g, "");
  try {
    await post("me/totp/disable", {code: code});
  } catch (error) {
    el("totp-off-code").value = "";
    refused(error);
    return;
  }
  render(false);
  say(word("totp_disabled_note"));
}
