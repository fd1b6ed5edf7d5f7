#!/usr/bin/env bash
# The kiosk session for real, the slow way (issue point 2): the shipped unit's command line under cage
# (wlroots headless backend, pixman renderer), as a dedicated unprivileged user, supervised the way
# systemd would (Type=notify, Restart=always, RestartSec=, the unit's own WatchdogSec=60). 3-4 minutes.
#
#   scripts/check-kiosk-session.sh [--watchdog-sec N] [--no-verbatim]
#
#  0. the unit's ExecStart verbatim (`cage -d -- ...`): READY=1 and one screenshot, kept to show why the
#     other runs add `cage -r` (cage 0.1.4 scans the client's buffer out on the headless output and
#     grim's capture is then an early frame, frozen: see tests/packaging/test_cage_session.py);
#  1. start: READY=1, screenshot of the attract screen, full-screen (720x1280);
#  2. kill -KILL the app: screenshots every 0.25 s until the restarted kiosk shows its attract screen
#     (only "no compositor", cage's black empty output or the attract screen may appear);
#  3. the watchdog: two WATCHDOG=1 pings, then the GUI thread is blocked (test hook of the launcher):
#     the pings stop, the supervisor's watchdog fires within WatchdogSec of the last one (SIGABRT to
#     cage, the rest killed), the kiosk comes back;
#  4. stop with SIGTERM, as `systemctl stop` does.
# Screenshots, logs of each generation, timeline.txt and report.txt go to build/session/ (git-ignored).
# Run as root (a user pan-kiosk-test is created: cage refuses root) or as a normal user.
# The quick version is the pytest test tests/packaging/test_cage_session.py (about 35 s).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
for tool in cage grim; do
    if ! command -v "$tool" > /dev/null; then
        echo "check-kiosk-session: $tool is not installed (scripts/setup.sh installs it; or apt-get install $tool)" >&2
        exit 2
    fi
done
[ -x "$REPO/.venv/bin/python" ] || { echo "check-kiosk-session: no .venv: run scripts/setup.sh" >&2; exit 2; }
exec "$REPO/.venv/bin/python" "$REPO/tests/packaging/test_cage_session.py" --out "$REPO/build/session" "$@"
