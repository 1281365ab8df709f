// Officer accounts, for supervisors: the list, a new account (role, languages, district, the
// officer's own phone for call-backs), disabling one, setting a new password and resetting a
// lost second factor. The API checks every field (user name form, password length, a dialable
// phone) and ends sessions as needed.
import {ApiError, button, call, cell, el, explain, handle, label, node, post, say, warn,
        word, WORDS} from "./core.js";

let showView = () => {};

export function setUp(show) {
  showView = show;
  el("officer-form").addEventListener("submit", add);
}

export async function showOfficers() {
  showView("officers");
  await load();
}
async function load() {
  let list;
  try {
    list = await call("officers");
  } catch (error) {
    handle(error);
    return;
  }
  warn("");
  el("officer-rows").replaceChildren(...list.map(officerRow));
}
function officerRow(o) {
  const row = node("tr");
  row.dataset.username = o.username;
  cell(row, o.username);
  cell(row, o.name);
  cell(row, label("role", o.role));
  cell(row, o.languages.map((l) => label("language", l)).join(", "));
  cell(row, o.district || "–");
  cell(row, o.phone || "–");
  cell(row, o.active ? word("active") : word("disabled"));
  const actions = cell(row, "");
  if (o.active) {
    const off = button(word("disable"), () => disable(o.username), "danger");
    off.setAttribute("aria-label", word("disable") + " " + o.username);
    const reset = button(word("reset_password"), () => askPassword(row, o.username));
    reset.setAttribute("aria-label", word("reset_password") + " " + o.username);
    actions.append(off, reset);
    if (o.totp) {
      const totp = button(word("reset_totp"), () => resetTotp(o.username));
      totp.setAttribute("aria-label", word("reset_totp") + " " + o.username);
      actions.append(totp);
    }
  }
  return row;
}
async function resetTotp(username) {
  if (!window.confirm(word("reset_totp_confirm", {username: username}))) return;
  try {
    await post("officers/" + encodeURIComponent(username) + "/reset-totp");
  } catch (error) {
    handle(error);
    return;
  }
  await load();
  say(word("totp_reset_done", {username: username}));
}
async function disable(username) {
  if (!window.confirm(word("disable_confirm", {username: username}))) return;
  try {
    await post("officers/" + encodeURIComponent(username) + "/disable");
  } catch (error) {
    handle(error);
    return;
  }
  await load();
  say(word("officer_disabled", {username: username}));
}
// A new password is typed into a small form in the officer's row (never shown once sent).
function askPassword(row, username) {
  const form = node("form", null, "inline");
  const input = node("input");
  input.type = "password";
  input.autocomplete = "new-password";
  input.id = "new-password-" + username;
  input.maxLength = 200;
  const lab = node("label", word("new_password"));
  lab.htmlFor = input.id;
  const send = node("button", word("save"), "primary");
  send.type = "submit";
  form.append(lab, input, send);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      await post("officers/" + encodeURIComponent(username) + "/reset-password", {password: input.value});
    } catch (error) {
      input.value = "";
      warn(message(error));
      input.focus();
      return;
    }
    await load();
    say(word("password_reset", {username: username}));
  });
  row.lastChild.replaceChildren(form);
  input.focus();
}
async function add(event) {
  event.preventDefault();
  const languages = [...document.querySelectorAll("#officer-languages input:checked")].map((b) => b.value);
  const body = {
    username: el("officer-username").value.trim().toLowerCase(),
    name: el("officer-name").value.trim(),
    password: el("officer-password").value,
    role: el("officer-role").value,
    languages: languages,
    district: el("officer-district").value.trim(),
    phone: el("officer-phone").value.trim() || null,
  };
  let added;
  try {
    added = await call("officers", {method: "POST", body: JSON.stringify(body)});
  } catch (error) {
    el("officer-password").value = "";
    warn(message(error));
    return;
  }
  el("officer-form").reset();
  await load();
  say(word("officer_added", {username: added.username}));
}
function message(error) {
  if (!(error instanceof ApiError) || error.status === 401) { handle(error); return ""; }
  const where = error.body.field;
  if (where && ("officer_error." + where) in WORDS) return word("officer_error." + where);
  return error.status === 422 || error.status === 409 ? word("officer_error.other") : explain(error);
}
