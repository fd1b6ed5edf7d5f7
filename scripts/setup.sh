#!/usr/bin/env bash
# Sets up a development / demo / test machine: Debian 12 system packages and a Python venv in .venv.
# Idempotent: a second run only checks. Needs root for apt-get (skipped when everything is present).
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  python3 python3-venv python3-dev gcc
  # Qt (xcb + offscreen) and QtWebEngine runtime libraries
  libgl1 libegl1 libopengl0 libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4
  libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-randr0 libxcb-shape0 libxcb-xfixes0
  libxcb-xkb1 libxcb-xinerama0 libfontconfig1 libdbus-1-3 libnss3 libxcomposite1 libxdamage1
  libxrandr2 libxtst6 libasound2 libxkbfile1 libxshmfence1 libgbm1 libxss1
  xvfb xauth dbus x11-utils xclip
  # fonts: Latin/Arabic/Tamil/Bengali/... (Noto), CJK as TrueType (reportlab cannot embed CFF)
  fonts-noto-core fonts-dejavu-core fonts-wqy-microhei
  # devices: scanner, printer; speech; PDF tools
  sane-utils libsane1 libsane-dev cups cups-client cups-bsd printer-driver-cups-pdf
  espeak-ng poppler-utils
  # browser tests: certutil puts a test-only certificate authority in a private NSS database
  libnss3-tools
  # fleet: minisign (interop test of signatures), shellcheck (image recipe), cage (systemd-analyze verify,
  # the kiosk session under cage), grim (its screenshots)
  minisign shellcheck cage grim
  # monitoring: promtool checks and unit-tests the fleet's alerting rules
  prometheus
  # accessibility: the AT-SPI bus and a screen-reader client for the system python3 (test_atspi_visit)
  at-spi2-core python3-pyatspi gir1.2-atspi-2.0
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing system packages: ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: run as root (or install these packages first)" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$PY" -m venv .venv
fi
stamp=.venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)
if [ ! -f "$stamp" ]; then
  echo "setup: installing Python packages into .venv (first time: a few minutes)"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e '.[dev]'
  rm -f .venv/.installed-*
  touch "$stamp"
fi
