#!/usr/bin/env bash
# Bengali and Devanagari web fonts for the officers' console and the web chat: a machine without
# Indic fonts would otherwise show boxes. From the npm packages @fontsource/noto-sans-bengali and
# @fontsource/noto-sans-devanagari (Noto, SIL Open Font License), pinned with integrity hashes in
# scripts/fonts/package-lock.json; the subsets the pages use are copied into
# api/web/static/fonts/ (git-ignored), where the API serves them under /static/fonts.
# Does nothing when the copied files match the lock already.
set -euo pipefail
cd "$(dirname "$0")/.."
pkg=scripts/fonts
dest=api/web/static/fonts
stamp="$dest/.installed"
files=(
  noto-sans-bengali/files/noto-sans-bengali-bengali-400-normal.woff2
  noto-sans-bengali/files/noto-sans-bengali-bengali-700-normal.woff2
  noto-sans-devanagari/files/noto-sans-devanagari-devanagari-400-normal.woff2
  noto-sans-devanagari/files/noto-sans-devanagari-devanagari-700-normal.woff2
)
want="$(sha256sum "$pkg/package-lock.json" | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  missing=0
  for f in "${files[@]}"; do [ -f "$dest/$(basename "$f")" ] || missing=1; done
  [ "$missing" -eq 0 ] && exit 0
fi
if ! command -v npm >/dev/null; then
  echo "npm is needed for the web fonts (apt-get install -y npm)" >&2
  exit 1
fi
echo "==> Installing the Bengali and Devanagari web fonts (npm, $pkg)"
npm ci --prefix "$pkg" --ignore-scripts --no-audit --no-fund --loglevel=error
for f in "${files[@]}"; do
  install -m 0644 "$pkg/node_modules/@fontsource/$f" "$dest/$(basename "$f")"
done
install -m 0644 "$pkg/node_modules/@fontsource/noto-sans-bengali/LICENSE" "$dest/OFL.txt"
echo "$want" > "$stamp"
