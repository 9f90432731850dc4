#!/usr/bin/env bash
# Set up a fresh machine: uv, the locked environment, and the system tools the experiments run.
# Installs system packages only as root or with password-less sudo; otherwise prints the command.
set -euo pipefail
cd "$(dirname "$0")/.."

# the experiments' tools; Jekyll with the blog's plugins; Chromium and CJK fonts for previews
APT_PACKAGES=(bonnie++ fio bindfs fuse3
              jekyll ruby-jekyll-redirect-from ruby-jekyll-paginate ruby-kramdown-parser-gfm
              chromium fonts-noto-cjk)
say() { printf 'setup: %s\n' "$*"; }

# 1. uv
if ! command -v uv >/dev/null 2>&1; then
  say "installing uv with pip (user site)"
  python3 -m pip install --quiet --user uv || python3 -m pip install --quiet uv
  export PATH="$HOME/.local/bin:$PATH"
fi
command -v uv >/dev/null || { say "uv is still not on PATH: add ~/.local/bin to PATH"; exit 1; }

# 2. the locked environment (never downloads Python itself: see [tool.uv] in pyproject.toml)
uv sync --locked --compile-bytecode  # bytecode once, so start-up stays quick

# 3. system tools
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
missing=()
for pkg in "${APT_PACKAGES[@]}"; do installed "$pkg" || missing+=("$pkg"); done
if [ ${#missing[@]} -eq 0 ]; then
  say "system tools present: ${APT_PACKAGES[*]}"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  say "no apt-get here: install ${missing[*]} with your package manager"
elif [ "$(id -u)" -eq 0 ] || sudo -n true 2>/dev/null; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  say "installing ${missing[*]}"
  $sudo apt-get update -qq || say "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null \
    || say "apt-get install failed"
else
  say "missing ${missing[*]}: run  sudo apt-get update && sudo apt-get install -y ${missing[*]}"
fi
still=()
for pkg in "${missing[@]}"; do installed "$pkg" || still+=("$pkg"); done
if [ ${#still[@]} -gt 0 ]; then
  if [ -n "${CI:-}" ]; then
    say "CI: could not install ${still[*]}: the tests of the real tools cannot run"
    exit 1
  fi
  say "going on without ${still[*]}: experiments that need them record why they failed"
fi
