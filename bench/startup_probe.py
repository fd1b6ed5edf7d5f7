"""Started as a fresh process by bench/run.py: shows a window, prints ms from launch to first paint.

    python bench/startup_probe.py bare|kiosk LAUNCH_TIME_NS
"""

from __future__ import annotations

import json
import os
import sys
import time

LAUNCH_NS = int(sys.argv[2])
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QLabel

    result: dict[str, float] = {}

    class FirstPaint(QObject):
        def eventFilter(self, watched, event):  # noqa: ANN001, ANN201, N802
            if event.type() == QEvent.Type.Paint and "paint_ms" not in result:
                result["paint_ms"] = (time.time_ns() - LAUNCH_NS) / 1e6
                if sys.argv[1] == "bare":
                    QTimer.singleShot(0, QApplication.instance().quit)
            return False

    if sys.argv[1] == "bare":
        app = QApplication(sys.argv[:1])
        window = QLabel("PAN Kiosk")
        window.resize(1080, 1920)
    else:
        sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        from kiosk import config
        from kiosk.cli.run import kiosk_builder
        from kiosk.shell.ui import start_screen
        from kiosk.shell.ui.qt_app import application

        app = application()
        cfg = config.load(None)

        class KioskPainted(QObject):
            def eventFilter(self, watched, event):  # noqa: ANN001, ANN201, N802
                if event.type() == QEvent.Type.Paint and "ready_ms" not in result:
                    result["ready_ms"] = (time.time_ns() - LAUNCH_NS) / 1e6
                    QTimer.singleShot(0, QApplication.instance().quit)
                return False

        ready_spy = KioskPainted()
        kiosks: list[object] = []

        def ready(kiosk) -> None:  # noqa: ANN001
            kiosk.window.attract.installEventFilter(ready_spy)
            kiosks.append(kiosk)

        start = start_screen.start(cfg, fullscreen=False, build_kiosk=kiosk_builder(cfg, False), ready=ready)
        window = start.page
    spy = FirstPaint()
    window.installEventFilter(spy)
    if sys.argv[1] == "bare":
        window.show()
    app.exec()
    result["rss_mb"] = rss_mb()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
