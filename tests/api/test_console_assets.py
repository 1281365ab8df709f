"""The console's static files, its content policy, its words for every code, the web fonts and
the casework rules it reads (GET /api/v1/staff/casework/rules)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import pytest

from api.domain import casework
from api.web import console_words
from api.web.routes import console, fonts
from locales import LANGUAGES, has_message
from tests.secrets import STAFF_PASSWORD

STATIC = Path(console.__file__).resolve().parents[1] / "static"
SECURITY = {
    "cache-control": "no-store",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}


def _policy(headers: Mapping[str, str]) -> dict[str, str]:
    text = headers["content-security-policy"]
    return dict(part.strip().split(" ", 1) for part in text.split(";"))


def test_page_and_scripts_allow_only_this_origin(client) -> None:
    page = client.get("/console", params={"lang": "bn"})
    policy = _policy(page.headers)
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'" and policy["default-src"] == "'self'"
    for name, value in SECURITY.items():
        assert page.headers[name] == value
    html = page.text
    assert "<style" not in html and " style=" not in html, "no inline style under the policy"
    scripts = re.findall(r"<script([^>]*)>", html)
    assert all('type="application/json"' in s or "src=" in s for s in scripts), scripts
    for src in re.findall(r'src="(static/console/[a-z-]+\.js)"', html):
        answer = client.get("/" + src)
        assert answer.status_code == 200 and "javascript" in answer.headers["content-type"]
        assert all(answer.headers[k] == v for k, v in SECURITY.items())
        assert "content-security-policy" in answer.headers


def test_every_module_the_page_imports_is_served(client) -> None:
    folder = STATIC / "console"
    for script in folder.glob("*.js"):
        for imported in re.findall(r'from "\./([a-z-]+\.js)"', script.read_text("utf-8")):
            assert (folder / imported).is_file(), f"{script.name} imports {imported}"
            assert client.get(f"/static/console/{imported}").status_code == 200
    assert client.get("/static/console/console.css").status_code == 200


@pytest.mark.parametrize("name", ["console.html", "..%2Fchat.html", "x.py", "Main.js", "a.jsx"])
def test_only_scripts_and_style_sheets_are_served(client, name: str) -> None:
    assert client.get(f"/static/console/{name}").status_code == 404


def test_no_static_file_is_longer_than_the_limit() -> None:
    """The same 450 lines as Python (tests/architecture): one file per view, not one page."""
    for path in STATIC.rglob("*"):
        if path.suffix in (".js", ".css", ".html"):
            lines = len(path.read_text("utf-8").splitlines())
            assert lines <= 450, f"{path.name}: {lines} lines"


def test_scripts_never_write_html() -> None:
    """Workers' and officers' words go in as text: no innerHTML, outerHTML, insertAdjacentHTML,
    document.write or inline event handlers anywhere in the console's scripts."""
    for script in (STATIC / "console").glob("*.js"):
        text = script.read_text("utf-8")
        for risky in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
            assert risky not in text, f"{script.name} uses {risky}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_status_move_outcome_and_code_has_words(lang: str) -> None:
    table = console.words(lang)
    moves = {r.target for rules in casework.RULES.values() for r in rules}
    for status in casework.ALL_STATUSES:
        assert table[f"case_status.{status}"].strip()
    for target in moves:
        assert table[f"move.{target}"].strip()
    for kind in casework.KINDS:
        assert table[f"kind_tab.{kind}"] and table[f"casework.kind.{kind}"]
    for code in casework.ALL_REJECTION_REASONS:
        assert table[f"reason.{code}"]
    assert all(has_message(key, lang) for key in console_words.SHARED)


def test_console_words_and_shared_labels_never_share_a_key() -> None:
    own = set(console_words.FIXED) | set(console_words.WORDS)
    assert own.isdisjoint(console_words.SHARED)
    assert len(own) == len(console_words.FIXED) + len(console_words.WORDS)


def test_fonts_are_served_with_long_cache_headers(client) -> None:
    css = client.get("/static/fonts/fonts.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert "max-age=86400" in css.headers["cache-control"]
    files = re.findall(r"url\(([a-z0-9-]+\.woff2)\)", css.text)
    assert {"Noto Sans Bengali", "Noto Sans Devanagari"} <= set(
        re.findall(r'font-family: "([^"]+)"', css.text)
    )
    assert len(files) == 4
    for name in files:
        assert (fonts.FONTS / name).is_file(), f"{name}: run scripts/install_fonts.sh"
        answer = client.get(f"/static/fonts/{name}")
        assert answer.status_code == 200 and answer.headers["content-type"] == "font/woff2"
        assert answer.headers["cache-control"] == "public, max-age=31536000"
        assert answer.content[:4] == b"wOF2"
    assert client.get("/static/fonts/OFL.txt").status_code == 404
    assert client.get("/static/fonts/..%2F..%2Fapp.py").status_code == 404


def test_both_pages_use_the_fonts(client) -> None:
    for path in ("/console", "/chat"):
        html = client.get(path, params={"lang": "hi"}).text
        assert 'href="static/fonts/fonts.css"' in html, path


def test_casework_rules_need_a_session_and_come_from_the_domain(client) -> None:
    assert client.get("/api/v1/staff/casework/rules").status_code == 401
    client.post("/api/v1/staff/login", json={"username": "officer1", "password": STAFF_PASSWORD})
    rules = client.get("/api/v1/staff/casework/rules").json()
    claim = rules["kinds"]["claim"]
    assert claim["initial"] == "submitted" and "paid" not in claim["open"]
    paid = next(m for m in claim["moves"] if m["target"] == "paid")
    assert paid == {
        "source": "approved",
        "target": "paid",
        "roles": ["officer", "supervisor"],
        "needs": ["amount", "paid_on"],
    }
    late = next(
        m for m in claim["moves"] if m["source"] == "approved" and m["target"] == "rejected"
    )
    assert late["roles"] == ["supervisor"] and late["needs"] == ["reason"]
    assert claim["reasons"] == list(casework.REJECTION_REASONS["claim"])
    assert rules["claim_documents"]["medical"] == [
        "hospital_discharge_certificate",
        "medical_bills",
        "bank_passbook",
    ]
    assert rules["claim_limits"]["accident_death"] > 0
    assert rules["call_outcomes"] == ["reached", "no_answer", "wrong_number"]
    assert list(rules["kinds"]) == list(casework.KINDS)
