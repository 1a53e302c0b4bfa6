#!/usr/bin/env bash
# Install the Debian packages shardsim needs (list: tools/packages.txt).
# Idempotent: asks dpkg what is missing and touches apt only if something is,
# so every other script can call it first at the cost of one line of output.
# Usage: tools/setup.sh [--check]   (--check: only report, exit 1 if anything is missing)
set -euo pipefail

list="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/packages.txt"
check_only=0
case "${1:-}" in
  --check) check_only=1 ;;
  "") ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

# Package names only: drop comments and blank lines.
mapfile -t packages < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' -e '/^$/d' "$list")

if ! command -v dpkg-query >/dev/null || ! command -v apt-get >/dev/null; then
  echo "setup: this script needs Debian 12 (dpkg/apt). Install by hand: ${packages[*]}" >&2
  exit 1
fi

missing=()
for p in "${packages[@]}"; do
  # db:Status-Status is exactly "installed" only for fully installed packages
  # (not "config-files", "half-installed", or unknown).
  if [[ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)" != installed ]]; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "setup: all ${#packages[@]} packages from tools/packages.txt are installed; nothing to do."
  exit 0
fi
if ((check_only)); then
  echo "setup: missing packages: ${missing[*]}" >&2
  exit 1
fi

# Root installs directly; otherwise sudo if there is one; otherwise say exactly what to install.
sudo=()
if ((EUID != 0)); then
  if command -v sudo >/dev/null; then
    sudo=(sudo)
  else
    echo "setup: not root and no sudo; as root run:" >&2
    echo "  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
fi

echo "setup: installing ${#missing[@]} missing packages: ${missing[*]}"
"${sudo[@]}" apt-get update -q
# env (not an exported variable) so the setting survives sudo's environment reset.
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
echo "setup: done."
