"""The supervisors' side of the console in real Chromium: the dashboard updates itself and
exports CSV; officer accounts are added, given a new password and disabled; and the Bengali and
Devanagari web fonts really draw their letters on a machine without Indic fonts."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest
from playwright.sync_api import expect

from locales import translate
from tests.e2e.conftest import RunningStack
from tests.e2e.console_pages import add_officer, fresh_number, log_in, missed_call
from tests.secrets import STAFF_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.browser]


@pytest.fixture(scope="module")
def supervisor(running_stack: RunningStack) -> tuple[str, str]:
    return add_officer(running_stack, "supervisor", phone="+919830000013")


def _word(key: str, lang: str = "en") -> str:
    return translate(f"console.{key}", lang)


def _figure(page, name: str):
    return page.locator(f'#dash-figures [data-figure="{name}"] dd')


def test_the_dashboard_updates_without_a_reload_and_exports_csv(
    browser, running_stack: RunningStack, supervisor: tuple[str, str], tmp_path
) -> None:
    page = browser.new_page()
    log_in(page, running_stack, supervisor, "bn")
    page.click("#views button[data-view=dashboard]")
    waiting = _figure(page, "callbacks_waiting")
    expect(waiting).not_to_be_empty()
    before = int(waiting.inner_text().translate(str.maketrans("০১২৩৪৫৬৭৮৯", "0123456789")))
    for chart in ("kind", "status", "district", "scheme", "language"):
        expect(page.locator(f"#chart-{chart} figcaption")).to_have_text(
            _word(f"chart.{chart}", "bn")
        )

    missed_call(running_stack, fresh_number(), f"CA{secrets.token_hex(16)}")
    after = str(before + 1).translate(str.maketrans("0123456789", "০১২৩৪৫৬৭৮৯"))
    expect(waiting).to_have_text(after, timeout=45000)  # the next 30 s refresh, same page
    callbacks = translate("casework.kind.callback", "bn")
    # a row for call-backs among the kinds (ordered by count: other tests' claims may lead)
    rows = page.locator("#chart-kind svg .bar-row title")
    expect(rows.filter(has_text=callbacks)).to_have_count(1)
    page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)

    with page.expect_download() as download:
        page.click("#dash-csv")
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert text.startswith("section,key,value") and "open_cases,callbacks_waiting," in text
    page.close()

    officer = browser.new_page()  # an officer sees the figures but has no export
    log_in(officer, running_stack, ("officer1", STAFF_PASSWORD), "en")
    expect(officer.locator("#views button[data-view=officers]")).to_be_hidden()
    officer.click("#views button[data-view=dashboard]")
    expect(_figure(officer, "open")).not_to_be_empty()
    expect(officer.locator("#dash-csv")).to_be_hidden()
    officer.close()


def test_a_supervisor_adds_resets_and_disables_an_officer(
    browser, running_stack: RunningStack, supervisor: tuple[str, str]
) -> None:
    page = browser.new_context().new_page()
    log_in(page, running_stack, supervisor, "hi")
    page.click("#views button[data-view=officers]")
    username, first = f"rdas{secrets.token_hex(2)}", "first-password-1"
    page.fill("#officer-username", username)
    page.fill("#officer-name", "Rina Das")
    page.fill("#officer-password", first)
    page.select_option("#officer-role", "officer")
    page.uncheck('#officer-languages input[value="en"]')
    page.fill("#officer-district", "Howrah")
    page.fill("#officer-phone", "12")  # not a phone: refused, in Hindi
    page.click("#officer-form button[type=submit]")
    expect(page.locator("#alert")).to_have_text(_word("officer_error.phone", "hi"))
    page.fill("#officer-password", first)
    page.fill("#officer-phone", "+91 98300 55555")
    page.click("#officer-form button[type=submit]")
    row = page.locator(f'#officer-rows tr[data-username="{username}"]')
    expect(row).to_contain_text("+919830055555")
    expect(row).to_contain_text("Howrah")
    assert translate("console.language.en", "hi") not in row.inner_text()

    newcomer = browser.new_context().new_page()
    log_in(newcomer, running_stack, (username, first), "hi")
    expect(newcomer.locator("#who")).to_contain_text("Rina Das")

    row.get_by_role("button", name=f"{_word('reset_password', 'hi')} {username}").click()
    page.fill(f"#new-password-{username}", "second-password-2")
    page.locator(f"#new-password-{username}").press("Enter")
    expect(page.locator("#notice")).to_contain_text(username)
    # the new password ends their open session: the console asks them to log in again
    expect(newcomer.locator("#login")).to_be_visible(timeout=30000)
    expect(newcomer.locator("#alert")).to_have_text(_word("session_expired", "hi"))
    log_in(newcomer, running_stack, (username, "second-password-2"), "hi")

    page.on("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name=f"{_word('disable', 'hi')} {username}").click()
    expect(row).to_contain_text(_word("disabled", "hi"))
    expect(newcomer.locator("#login")).to_be_visible(timeout=30000)
    newcomer.fill("#username", username)
    newcomer.fill("#password", "second-password-2")
    newcomer.click("#login-form button[type=submit]")
    expect(newcomer.locator("#alert")).to_have_text(_word("login_failed", "hi"))
    page.close()
    newcomer.close()


# Each letter drawn on a canvas in the page's own font stack, against a private-use character
# no font has: a letter with no glyph is drawn as that same box.
PROBE = """async letters => {
  const font = "48px " + getComputedStyle(document.body).fontFamily;
  try { await document.fonts.load(font, letters.join("")); } catch (missing) { /* boxes */ }
  const canvas = document.createElement("canvas");
  canvas.width = 120;
  canvas.height = 80;
  const ink = canvas.getContext("2d");
  const draw = (text) => {
    ink.clearRect(0, 0, 120, 80);
    ink.font = font;
    ink.fillText(text, 10, 60);
    return Array.from(ink.getImageData(0, 0, 120, 80).data).join(",");
  };
  const box = draw("\\uE000");
  return letters.map((letter) => draw(letter) !== box);
}"""


@pytest.mark.parametrize(
    ("path", "letters", "family"),
    [
        ("/chat?lang=bn", ["ক", "খ"], "Noto Sans Bengali"),
        ("/console?lang=hi", ["क", "ख"], "Noto Sans Devanagari"),
        ("/console?lang=bn", ["ঙ", "ঞ"], "Noto Sans Bengali"),
    ],
)
def test_bengali_and_devanagari_letters_are_drawn_not_boxes(
    browser, running_stack: RunningStack, path: str, letters: list[str], family: str, tmp_path
) -> None:
    """This machine has no Indic system font: without the served web fonts every letter is the
    same empty box, so two different letters would look alike."""
    page = browser.new_page()
    page.goto(running_stack.api_url + path)
    loaded = page.evaluate(
        "async () => { await document.fonts.ready;"
        " return [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family); }"
    )
    assert family in {name.strip("\"'") for name in loaded}, loaded  # the page's text asked
    assert page.evaluate(PROBE, letters) == [True] * len(letters), "boxes, not letters"
    page.locator("h1").screenshot(path=str(tmp_path / "title.png"))
    page.close()
