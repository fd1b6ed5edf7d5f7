"""A screen reader's view of the kiosk, for tests/shell/test_atspi_visit.py: a real AT-SPI client.

It runs with the system Python 3 and pyatspi (Debian: python3-pyatspi, gir1.2-atspi-2.0), not in the
kiosk's venv, inside the D-Bus session of the test (dbus-run-session). It starts Xvfb, the AT-SPI bus
(at-spi-bus-launcher) and the kiosk as the plan says, then drives whole visits as a screen-reader user
would: every control is found in the accessibility tree by its role and translated name and activated
through the Action interface, the reference number is typed through the EditableText interface, and
what the kiosk tells assistive technology (focus events, announcements, roles, names, states, the tree
under a dialog) is checked against the plan, which the test makes from the kiosk's own catalogs and
content pack.

Usage: /usr/bin/python3 atspi_client.py PLAN.json REPORT.json
The report holds every check done ("checks"), the first failure ("failure", with what was seen) and the
alert sounds copied from the kiosk's speech folder ("alert_sounds"). Exit status 0 when all passed.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import traceback
from pathlib import Path

import pyatspi
from gi.repository import Atspi, GLib

EVENTS = ("object:state-changed:focused", "object:announcement", "object:property-change:accessible-name",
          "object:children-changed", "object:state-changed:showing")


class Failed(Exception):
    pass


def norm(text: str | None) -> str:
    return " ".join((text or "").split())


class Session:
    """Xvfb, the accessibility bus and the kiosk: started here, ended here (by their process ids)."""

    def __init__(self, plan: dict) -> None:
        self.plan = plan
        self.processes: list[subprocess.Popen] = []

    def start(self) -> None:
        read, write = os.pipe()
        xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1080x1920x24",
                                 "-nolisten", "tcp"], pass_fds=(write,), stderr=subprocess.DEVNULL)
        self.processes.append(xvfb)
        os.close(write)
        with os.fdopen(read) as pipe:
            display = pipe.readline().strip()
        if not display:
            raise Failed("Xvfb did not start (no display number on -displayfd)")
        os.environ["DISPLAY"] = f":{display}"
        self.processes.append(subprocess.Popen(["/usr/libexec/at-spi-bus-launcher", "--launch-immediately"],
                                               stderr=subprocess.DEVNULL))
        kiosk = self.plan["kiosk"]
        log = open(kiosk["log"], "w")   # noqa: SIM115 - kept open for the kiosk's whole life
        env = {**os.environ, **kiosk["env"], "DISPLAY": os.environ["DISPLAY"]}
        self.processes.append(subprocess.Popen(kiosk["argv"], env=env, stdout=log, stderr=subprocess.STDOUT,
                                               start_new_session=True))

    def kiosk_alive(self) -> bool:
        return len(self.processes) == 3 and self.processes[2].poll() is None

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                if process is self.processes[-1] and len(self.processes) == 3:
                    os.killpg(process.pid, signal.SIGTERM)
                else:
                    process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=10)


class Client:
    def __init__(self, plan: dict, session: Session) -> None:
        self.plan, self.session = plan, session
        self.events: list[dict] = []
        self.checks: list[str] = []
        self.alert_sounds: list[str] = []
        self.app: Atspi.Accessible | None = None
        self._listener = pyatspi.Registry.registerEventListener(self._on_event, *EVENTS)

    # --- the event log ---------------------------------------------------------------------------------
    def _on_event(self, event: Atspi.Event) -> None:
        record = {"type": event.type, "detail1": event.detail1, "data": None, "role": "", "name": "",
                  "attributes": [], "ancestors": [], "time": time.monotonic()}
        if isinstance(event.any_data, str):
            record["data"] = event.any_data
        try:
            source = event.source
            record["role"], record["name"] = source.getRoleName(), norm(source.name)
            record["attributes"] = list(source.getAttributes() or [])
            record["ancestors"] = ancestors(source)
        except Exception as exc:  # noqa: BLE001 - a source gone meanwhile: keep what was said
            record["error"] = str(exc)
        self.events.append(record)

    def pump(self, seconds: float) -> None:
        context = GLib.MainContext.default()
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            while context.pending():
                context.iteration(False)
            time.sleep(0.01)

    def wait_event(self, since: int, what: str, test, timeout: float = 10.0) -> dict:  # noqa: ANN001
        context = GLib.MainContext.default()
        end = time.monotonic() + timeout
        while True:
            while context.pending():
                context.iteration(False)
            for record in self.events[since:]:
                if test(record):
                    return record
            if time.monotonic() > end:
                seen = [f"{e['type']} {e['role']} {e['name']!r} {e['data']!r}"
                        for e in self.events[since:]][-25:]
                raise Failed(f"{what}: not seen within {timeout:.0f} s; events seen: {seen}")
            if not self.session.kiosk_alive():
                raise Failed(f"{what}: the kiosk exited (see its log)")
            time.sleep(0.01)

    def ok(self, text: str) -> None:
        self.checks.append(text)

    # --- the tree ----------------------------------------------------------------------------------------
    def find_app(self, timeout: float = 60.0) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            desktop = pyatspi.Registry.getDesktop(0)
            for i in range(desktop.childCount):
                app = desktop.getChildAtIndex(i)
                if app is not None and app.name == self.plan["app_name"] and self.frame(app) is not None:
                    app.set_cache_mask(Atspi.Cache.NONE)        # names and states read live
                    self.app = app
                    return
            if not self.session.kiosk_alive():
                raise Failed("the kiosk exited before showing its window (see its log)")
            self.pump(0.2)
        raise Failed(f"no application {self.plan['app_name']!r} with a window on the AT-SPI bus "
                     f"within {timeout:.0f} s")

    def frame(self, app: Atspi.Accessible | None = None) -> Atspi.Accessible | None:
        """The kiosk's main window (the start window may still be there, closing)."""
        app = app or self.app
        frames = [app.getChildAtIndex(i) for i in range(app.childCount)]
        shown = [f for f in frames if f is not None and f.getState().contains(pyatspi.STATE_SHOWING)]
        return shown[-1] if shown else None

    def find(self, role: str, name: str | list[str], timeout: float = 10.0) -> Atspi.Accessible:
        names = [norm(n) for n in ([name] if isinstance(name, str) else name)]
        end = time.monotonic() + timeout
        while True:
            found = walk(self.frame(), role, names)
            if found is not None:
                return found
            if time.monotonic() > end:
                raise Failed(f"no showing {role!r} named {names} in the tree; "
                             f"it holds: {outline(self.frame())}")
            self.pump(0.1)

    def press(self, role: str, name: str | list[str]) -> int:
        """Move the focus to the control (Component.grabFocus, as a screen reader's focus navigation
        does), then activate it (Action 0); returns the event mark before the activation."""
        target = self.find(role, name)
        focus_mark = len(self.events)
        if not target.getState().contains(pyatspi.STATE_FOCUSED):
            if not target.queryComponent().grabFocus():
                raise Failed(f"{role} {name!r}: grabFocus refused")
            before = f"focus on {role} {norm(target.name)!r} before pressing it"
            self.wait_event(focus_mark, before, lambda e: (
                e["type"] == "object:state-changed:focused" and e["detail1"] == 1 and e["role"] == role
                and e["name"] == norm(target.name)))
        mark = len(self.events)
        action = target.queryAction()
        if not action.doAction(0):
            raise Failed(f"{role} {name!r}: doAction refused")
        self.ok(f"pressed {role} {norm(target.name)!r}")
        return mark

    # --- what a screen reader is told ----------------------------------------------------------------
    def expect_focus(self, mark: int, role: str, name: str | list[str], what: str, level: str = "") -> dict:
        names = [norm(n) for n in ([name] if isinstance(name, str) else name)]
        record = self.wait_event(mark, f"{what}: focus on {role} {names}", lambda e: (
            e["type"] == "object:state-changed:focused" and e["detail1"] == 1
            and e["role"] == role and e["name"] in names))
        if level and f"level:{level}" not in record["attributes"]:
            raise Failed(f"{what}: the heading {record['name']!r} has attributes {record['attributes']}, "
                         f"not level:{level}")
        self.ok(f"{what}: focus on {role}{' level ' + level if level else ''} {record['name']!r}")
        return record

    def expect_announcement(self, mark: int, text: str, what: str, assertive: bool = False) -> dict:
        record = self.wait_event(mark, f"{what}: announcement {text!r}", lambda e: (
            e["type"] == "object:announcement" and norm(e["data"]) == norm(text)))
        if assertive and record["detail1"] != 2:
            raise Failed(f"{what}: announcement {text!r} with politeness {record['detail1']}, "
                         "not assertive (2)")
        self.ok(f"{what}: announced {norm(text)!r}{' (assertive)' if assertive else ''}")
        return record

    def expect_no_focus_elsewhere(self, mark: int, role: str, name: str, what: str) -> None:
        """No other widget got the focus on the way (a screen reader would read each one)."""
        stray = [f"{e['role']} {e['name']!r}" for e in self.events[mark:]
                 if e["type"] == "object:state-changed:focused" and e["detail1"] == 1
                 and not (e["role"] == role and e["name"] == norm(name))]
        if stray:
            raise Failed(f"{what}: the focus passed through {stray} before {role} {name!r}")

    def expect_modal(self, role: str, name: str, what: str) -> None:
        """The window's only child is the overlay, which says it is modal: the page is out of reach."""
        frame = self.frame()
        children = [frame.getChildAtIndex(i) for i in range(frame.childCount)]
        described = [f"{c.getRoleName()} {norm(c.name)!r}" for c in children if c is not None]
        if len(children) != 1 or children[0].getRoleName() != role or norm(children[0].name) != norm(name):
            raise Failed(f"{what}: the window should show only the {role} {name!r} to assistive technology; "
                         f"its children are {described}")
        if not children[0].getState().contains(pyatspi.STATE_MODAL):
            raise Failed(f"{what}: the {role} {name!r} is not modal")
        self.ok(f"{what}: {role} {norm(name)!r}, modal, the only child of the window (page hidden)")

    # --- the visit ---------------------------------------------------------------------------------------
    def run(self) -> None:
        self.find_app()
        attract = self.plan["attract"]
        self.wait_focused_now("heading", attract["headings"], "start-up: the attract screen")
        for visit in self.plan["visits"]:
            self.visit(visit)

    def wait_focused_now(self, role: str, names: list[str], what: str, timeout: float = 20.0) -> None:
        wanted = [norm(n) for n in names]
        end = time.monotonic() + timeout
        while True:
            focused = find_state(self.frame(), pyatspi.STATE_FOCUSED)
            if focused is not None and focused.getRoleName() == role and norm(focused.name) in wanted:
                self.ok(f"{what}: focus on {role} {norm(focused.name)!r}")
                return
            if time.monotonic() > end:
                seen = f"{focused.getRoleName()} {norm(focused.name)!r}" if focused is not None else "nothing"
                raise Failed(f"{what}: the focus is on {seen}, not on a {role} named one of {wanted}")
            self.pump(0.2)

    def visit(self, v: dict) -> None:
        lang = v["code"]
        mark = self.press("push button", self.plan["attract"]["start"])
        page = v["language_page"]
        self.expect_focus(mark, "heading", page["heading"], f"{lang}: language page", level="1")
        self.expect_announcement(mark, page["heading"], f"{lang}: language page")
        mark = self.press("push button", page["button"])
        page = v["procedure_page"]
        self.expect_focus(mark, "heading", page["heading"], f"{lang}: procedure page", level="1")
        self.expect_announcement(mark, page["heading"], f"{lang}: procedure page")
        mark = self.press("push button", page["button"])
        for index, step in enumerate(v["steps"]):
            what = f"{lang}: step {index + 1}"
            self.expect_focus(mark, "heading", step["heading"], what, level="1")
            self.expect_announcement(mark, step["announcement"], what)
            if index == 0:
                self.overlays(v)
            if step["action"] is None:
                break
            mark = self.press("push button", step["action"])
        self.end_page(v)

    def overlays(self, v: dict) -> None:
        lang = v["code"]
        for kind in ("help", "confirm"):
            o = v[kind]
            what = f"{lang}: {kind} overlay"
            mark = self.press("push button", o["button"])
            self.expect_focus(mark, "heading", o["title"], f"{what} open", level="1")
            self.expect_announcement(mark, o["title"], f"{what} open")
            self.expect_modal("dialog", o["title"], f"{what} open")
            mark = self.press("push button", o["close"])
            self.expect_focus(mark, "push button", o["button"], f"{what} closed: focus restored")
            self.pump(0.3)
            self.expect_no_focus_elsewhere(mark, "push button", o["button"], f"{what} closed")

    def end_page(self, v: dict) -> None:
        lang, end = v["code"], v["end"]
        field = self.find("text", end["field"])
        if not field.queryEditableText().setTextContents(end["reference"]):
            raise Failed(f"{lang}: the reference field refused setTextContents")
        self.pump(0.3)
        typed = field.queryText().getText(0, -1)
        if typed != end["reference"]:
            raise Failed(f"{lang}: the reference field holds {typed!r} after setTextContents")
        self.ok(f"{lang}: reference {end['reference']!r} set through the EditableText interface")
        mark = self.press("push button", end["print"])
        self.expect_focus(mark, "heading", end["print_titles"], f"{lang}: printing overlay open", level="1")
        self.expect_announcement(mark, end["print_titles"][0], f"{lang}: printing overlay open")
        self.expect_announcement(mark, end["print_titles"][1], f"{lang}: receipt printed")
        mark = self.press("push button", end["close"])
        self.expect_focus(mark, "push button", end["print"],
                          f"{lang}: printing overlay closed: focus restored")
        self.idle(v, restore_to=end["print"])
        mark = self.press("push button", end["finish"])
        self.expect_focus(mark, "heading", self.plan["attract"]["headings"], f"{lang}: visit ended: attract",
                          level="1")

    def idle(self, v: dict, restore_to: str) -> None:
        lang, idle = v["code"], v["idle"]
        what = f"{lang}: idle warning"
        mark = len(self.events)
        sounds = set(Path(self.plan["speech_dir"]).rglob("*.wav"))
        record = self.wait_event(mark, f"{what}: assertive announcement", lambda e: (
            e["type"] == "object:announcement" and norm(e["data"]).startswith(norm(idle["title"]))),
            timeout=self.plan["idle_wait_s"])
        if record["detail1"] != 2:
            raise Failed(f"{what}: announced with politeness {record['detail1']}, not assertive (2)")
        if norm(record["data"]) not in [norm(a) for a in idle["announcements"]]:
            raise Failed(f"{what}: announced {record['data']!r}, expected one of {idle['announcements']}")
        self.ok(f"{what}: announced {norm(record['data'])!r} (assertive)")
        self.expect_focus(mark, "push button", idle["more"], what)
        self.expect_modal("alert", idle["title"], what)
        self.alert_sounds.append(self.copy_alert_sound(sounds, lang))
        mark = self.press("push button", idle["more"])
        self.expect_focus(mark, "push button", restore_to, f"{what} closed: focus restored")

    def copy_alert_sound(self, before: set[Path], lang: str) -> str:
        """The WAV the kiosk's voice played for the alert (speech with no audio device: a file sink)."""
        end = time.monotonic() + 15
        while time.monotonic() < end:
            played = [p for p in Path(self.plan["speech_dir"]).rglob("played/utterance-*.wav")
                      if p not in before and ".chime" not in p.name and ".text" not in p.name]
            if played:
                time.sleep(0.3)                         # the copy is finished
                target = Path(self.plan["out"]) / f"alert-{lang}.wav"
                shutil.copyfile(played[-1], target)
                self.ok(f"{lang}: the kiosk's voice played the alert ({played[-1].name})")
                return str(target)
            self.pump(0.2)
        raise Failed(f"{lang}: no alert sound played into {self.plan['speech_dir']} within 15 s")


def ancestors(accessible: Atspi.Accessible) -> list[str]:
    found, parent = [], accessible.parent
    while parent is not None and len(found) < 30:
        found.append(f"{parent.getRoleName()}:{norm(parent.name)}")
        parent = parent.parent
    return found


def walk(root: Atspi.Accessible | None, role: str, names: list[str]) -> Atspi.Accessible | None:
    if root is None:
        return None
    if not root.getState().contains(pyatspi.STATE_SHOWING):
        return None
    if root.getRoleName() == role and norm(root.name) in names:
        return root
    for i in range(root.childCount):
        found = walk(root.getChildAtIndex(i), role, names)
        if found is not None:
            return found
    return None


def find_state(root: Atspi.Accessible | None, state: int) -> Atspi.Accessible | None:
    if root is None or not root.getState().contains(pyatspi.STATE_SHOWING):
        return None
    if root.getState().contains(state):
        return root
    for i in range(root.childCount):
        found = find_state(root.getChildAtIndex(i), state)
        if found is not None:
            return found
    return None


def outline(root: Atspi.Accessible | None, depth: int = 0) -> str:
    if root is None or depth > 12 or not root.getState().contains(pyatspi.STATE_SHOWING):
        return ""
    role = root.getRoleName()
    parts = [f"{role}:{norm(root.name)[:40]!r}"] if role not in ("filler", "panel") else []
    for i in range(root.childCount):
        inner = outline(root.getChildAtIndex(i), depth + 1)
        if inner:
            parts.append(inner)
    return "[" + ", ".join(parts) + "]" if parts else ""


def main(plan_path: str, report_path: str) -> int:
    plan = json.loads(Path(plan_path).read_text())
    session = Session(plan)
    report: dict = {"checks": [], "failure": None, "alert_sounds": []}
    client = None
    started = time.monotonic()
    try:
        session.start()
        client = Client(plan, session)
        client.run()
    except Failed as exc:
        report["failure"] = str(exc)
    except Exception:  # noqa: BLE001 - any error is reported, with its trace
        report["failure"] = traceback.format_exc()
    finally:
        session.stop()
        if client is not None:
            report["checks"], report["alert_sounds"] = client.checks, client.alert_sounds
        report["seconds"] = round(time.monotonic() - started, 1)
        Path(report_path).write_text(json.dumps(report, ensure_ascii=False, indent=1))
    return 0 if report["failure"] is None else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
