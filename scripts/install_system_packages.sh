#!/usr/bin/env bash
# Debian packages the test suite and benchmarks drive from outside Python:
# Chromium for the end-to-end browser tests, a CJK font so its screenshots show
# Chinese, wrk for the HTTP benchmarks, nginx for the shipped proxy
# configuration (its syntax test and the shared-cache benchmark), and the
# PostgreSQL server tools the replica tests make throwaway clusters with.
# Installs only what is missing.
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
[ -d /usr/share/fonts/truetype/wqy ] || missing+=(fonts-wqy-microhei)
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
[ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v pg_createcluster >/dev/null 2>&1 || missing+=(postgresql-common)
command -v pg_basebackup >/dev/null 2>&1 || missing+=(postgresql)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "Missing Debian packages: ${missing[*]}. Install them with: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "Installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
