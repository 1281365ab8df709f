#!/usr/bin/env bash
# Debian packages the product and its tests need: offline TTS (espeak-ng), audio checks (sox),
# Ogg Opus voice notes for WhatsApp (opusenc, opus-tools),
# Chromium for the browser tests, npm for the web fonts, pg_dump/pg_restore (postgresql-client)
# for `make backup`, HAProxy for `make run-cluster` and its fault tests, the PostgreSQL server
# programs (initdb, pg_ctl: the fault test restarts a server of its own); then the web fonts
# themselves (scripts/install_fonts.sh). Installs only what is missing.
set -euo pipefail
need=()
command -v espeak-ng >/dev/null || need+=(espeak-ng)
command -v sox >/dev/null || need+=(sox libsox-fmt-all)
command -v opusenc >/dev/null || need+=(opus-tools)
command -v chromium >/dev/null || need+=(chromium)
command -v npm >/dev/null || need+=(npm)
command -v pg_dump >/dev/null || need+=(postgresql-client)
# Debian keeps the server programs off PATH, in /usr/lib/postgresql/<version>/bin
compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" >/dev/null || command -v pg_ctl >/dev/null \
  || need+=(postgresql)
command -v haproxy >/dev/null || [ -x /usr/sbin/haproxy ] || need+=(haproxy)
if [ ${#need[@]} -gt 0 ]; then
  echo "==> Installing Debian packages: ${need[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null; then SUDO=sudo; else
      echo "Need root to install: ${need[*]} (apt-get install -y ${need[*]})" >&2; exit 1
    fi
  else SUDO=""; fi
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${need[@]}"
fi
bash "$(dirname "$0")/install_fonts.sh"
