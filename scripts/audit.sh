#!/bin/sh
# `make audit`: known vulnerabilities in both Python environments (pip-audit) and risky code
# (bandit, configured in pyproject.toml). Fails only on findings: when the vulnerability
# database cannot be reached for a package (offline, a private mirror, a version PyPI does not
# have), it says so loudly and counts it as not audited, not as clean.
set -u
ROOT=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
APP="$ROOT/.venv/bin"
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
status=0

if [ ! -x "$APP/pip-audit" ] || [ ! -x "$APP/bandit" ]; then
    echo "audit: pip-audit and bandit are missing: .venv/bin/pip install -r requirements/dev.txt" >&2
    exit 2
fi

summarise() {  # $1 label, $2 pip-audit JSON report: prints findings, exits 1 if any
    "$APP/python" - "$1" "$2" <<'PY'
import json, sys
label, path = sys.argv[1], sys.argv[2]
try:
    deps = json.load(open(path, encoding="utf-8"))["dependencies"]
except (OSError, ValueError, KeyError):
    print(f"{label}: pip-audit gave no report (see its errors above): NOT AUDITED")
    sys.exit(0)
found = [d for d in deps if d.get("vulns")]
skipped = [d for d in deps if d.get("skip_reason")]
audited = len(deps) - len(skipped)
for d in found:
    for v in d["vulns"]:
        fix = ", ".join(v.get("fix_versions") or []) or "no fix yet"
        print(f"{label}: {d['name']} {d['version']}: {v['id']} (fixed in: {fix})")
print(f"{label}: {len(deps)} packages, {audited} audited, {len(found)} vulnerable, "
      f"{len(skipped)} not audited")
if skipped and not audited:
    print(f"{label}: THE VULNERABILITY DATABASE COULD NOT BE REACHED FOR ANY PACKAGE "
          "(offline, or versions unknown to PyPI): nothing was audited")
elif skipped:
    names = ", ".join(sorted(d["name"] for d in skipped)[:15])
    print(f"{label}: not audited (unknown to the database): {names}"
          + (" ..." if len(skipped) > 15 else ""))
sys.exit(1 if found else 0)
PY
}

echo "== pip-audit: .venv (API, phone line, actions; the packages installed) =="
"$APP/pip-audit" --local --progress-spinner off -f json -o "$OUT/app.json" >/dev/null 2>"$OUT/app.err"
grep -v -e "^WARNING" -e "^No known vulnerabilities" "$OUT/app.err" | tail -5
summarise ".venv" "$OUT/app.json" || status=1

echo "== pip-audit: .venv-bot (Rasa, from requirements/rasa-py311.lock + rasa-extra.txt) =="
for lock in rasa-py311.lock rasa-extra.txt; do
    "$APP/pip-audit" -r "$ROOT/requirements/$lock" --no-deps --disable-pip --progress-spinner off \
        -f json -o "$OUT/$lock.json" >/dev/null 2>"$OUT/$lock.err"
    grep -v -e "^WARNING" -e "^No known vulnerabilities" "$OUT/$lock.err" | tail -5
    summarise ".venv-bot ($lock)" "$OUT/$lock.json" || status=1
done

echo "== bandit (pyproject.toml [tool.bandit]: what is skipped, and why) =="
cd "$ROOT" || exit 2
if ! "$APP/bandit" -c pyproject.toml -q -r api voice actions bot rasa_sdk_plugins scripts bench \
    asgi.py 2>"$OUT/bandit.err"; then
    status=1
fi
grep -v "WARNING" "$OUT/bandit.err" | tail -5

if [ "$status" -ne 0 ]; then
    echo "audit: FINDINGS (above)"
else
    echo "audit: no findings (read the 'not audited' lines: they are not a clean bill)"
fi
exit "$status"
