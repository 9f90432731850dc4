#!/usr/bin/env bash
# What `make test` needs beyond `make setup`: the audit's tests run a private Docker engine
# (its own socket, no bridge, an image made from busybox-static) and read compose files with
# docker-compose. Installed as root or with password-less sudo when missing, so that those
# tests run on a fresh clone instead of skipping; otherwise one line says how to install them.
set -euo pipefail
cd "$(dirname "$0")/.."

TEST_PACKAGES=(docker.io busybox-static docker-compose)
say() { printf 'test-setup: %s\n' "$*"; }

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
command -v dpkg-query >/dev/null 2>&1 || { say "no dpkg here: install ${TEST_PACKAGES[*]} with your package manager (the Docker audit tests skip without them)"; exit 0; }
missing=()
for pkg in "${TEST_PACKAGES[@]}"; do installed "$pkg" || missing+=("$pkg"); done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ] || sudo -n true 2>/dev/null; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  say "installing ${missing[*]} (the Docker audit tests' private engine)"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq || say "apt-get update failed"
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || say "apt-get install failed"
else
  say "the Docker audit tests will skip: install ${missing[*]} with  sudo apt-get install -y --no-install-recommends ${missing[*]}  (and run the tests as root: dockerd needs it)"
  exit 0
fi
still=()
for pkg in "${missing[@]}"; do installed "$pkg" || still+=("$pkg"); done
if [ ${#still[@]} -gt 0 ]; then
  say "could not install ${still[*]}: the Docker audit tests will skip"
  [ -z "${CI:-}" ] || exit 1
fi
