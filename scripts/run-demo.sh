#!/usr/bin/env bash
# Set up and start the kiosk as a windowed demo with simulated devices. With no display, run a
# scripted visitor session offscreen instead and write a PNG of every screen to build/demo/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/.venv/bin:$PATH"
python -m kiosk i18n compile --quiet
if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
  exec dbus-run-session -- pan-kiosk run --windowed "$@"
fi
echo "No display found: running a scripted demo session offscreen instead."
exec dbus-run-session -- env QT_QPA_PLATFORM=offscreen pan-kiosk demo --out build/demo "$@"
