#!/usr/bin/env bash
# Installs the Debian packages pqfoot builds and tests with, if any are missing.
# Called by `make check`, `make demo` and .ci/run; safe to run repeatedly.
set -euo pipefail

PKGS=(make gcc g++ clang libclang-rt-14-dev pkg-config libzstd-dev libxxhash-dev check
      thrift-compiler libthrift-dev libboost-dev zstd)

# The Python package's tests (python/python.mk) need a Python 3 that can make a venv with pip
# and build a C extension (Python.h). A Python that has them (e.g. pyenv's) needs no packages.
if ! command -v python3 >/dev/null ||
   ! python3 -c 'import ensurepip, venv, sysconfig, os, sys; sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))' 2>/dev/null; then
    PKGS+=(python3 python3-venv python3-dev)
fi

missing=()
for p in "${PKGS[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$p")
    fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "install-deps: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
    SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
