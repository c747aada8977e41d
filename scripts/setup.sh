#!/usr/bin/env bash
# Create the virtual environment and install Dossier with its pinned dependencies.
# With --dev, also the test tools and the packages the end-to-end tests need.
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3.11}
command -v "$python" >/dev/null 2>&1 || python=python3
if [ ! -x .venv/bin/python ]; then
    "$python" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
if [ "${1:-}" = "--dev" ]; then
    .venv/bin/python -m pip install --quiet -e ".[dev]"
else
    .venv/bin/python -m pip install --quiet -e .
fi
.venv/bin/dossier compilemessages --ignore=.venv >/dev/null 2>&1 || true
