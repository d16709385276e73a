#!/usr/bin/env bash
# Debian packages the portal needs beyond Python: gettext (message catalogues), Pango and DejaVu
# fonts (WeasyPrint PDFs), Chromium (browser tests), poppler-utils (PDF checks), wrk (benchmarks),
# docker-compose (`make check` parses docker-compose.yml).
# Installs only what is missing; needs root (or sudo) the first time.
set -euo pipefail
want=(gettext libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core "$@")
missing=()
for pkg in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing Debian packages: ${missing[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
