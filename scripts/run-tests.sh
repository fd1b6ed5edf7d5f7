#!/usr/bin/env bash
# The whole test suite: set-up (idempotent), lint, types, then pytest with the real stacks
# (SANE test device, CUPS with a PDF queue, QtWebEngine, loopback HTTP) started by fixtures.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/.venv/bin:$PATH"
python -m kiosk i18n compile --quiet
echo "== ruff"; ruff check kiosk tests bench
echo "== mypy"; mypy
echo "== pytest"
exec dbus-run-session -- python -m pytest "$@"
