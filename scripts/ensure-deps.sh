#!/usr/bin/env bash
# Makes sure the Debian packages Copydesk needs are installed: BLAS, LAPACK and libxml2 to build, iso-codes
# and tzdata for the place names of desk profiles (countries, subdivisions, cities), GNU time
# for the peak memory the benchmarks (and `make test`'s smoke run of them) report.
# As root it installs what is missing (non-interactively); otherwise it says what to install.
set -euo pipefail
packages=(libblas-dev liblapack-dev libxml2-dev pkg-config time iso-codes tzdata)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "copydesk needs these Debian packages (or their equivalents): ${missing[*]}; install them and retry." >&2
  exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "copydesk needs: ${missing[*]}. Run: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "installing ${missing[*]} ..." >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq "${missing[@]}" >&2
