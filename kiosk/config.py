"""Terminal configuration: one TOML file per terminal, parsed into frozen, typed objects.

Every option is declared once, as a dataclass field with its type, default and a description in the
field's metadata. Loading walks those declarations, so the validator, the documented example file
(`pan-kiosk config example`) and the defaults can never disagree.

Errors are collected, not raised one by one: an admin fixing a file sees every problem at once, each
with the line, the key, the bad value and what was expected.
"""

from __future__ import annotations

import dataclasses
import os
import re
import reprlib
import sys
import tomllib
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

DEFAULT_PATH = Path("/etc/pan-kiosk/kiosk.toml")
DEMO_SOURCE = "<built-in demo defaults>"


def opt(default: Any, doc: str, **rules: Any) -> Any:
    """Declare an option: default value, one-line description, optional rules (min, max, pattern, and
    check: a function returning what was expected when a value that matched is still impossible)."""
    if isinstance(default, (list, dict)):
        return field(default_factory=lambda: type(default)(default), metadata={"doc": doc, **rules})
    return field(default=default, metadata={"doc": doc, **rules})


@dataclass(frozen=True)
class TerminalConfig:
    id: str = opt("demo-01", "Terminal id, unique in the fleet (letters, digits, - and _).",
                  pattern=r"[A-Za-z0-9_-]{1,64}")
    site_name: str = opt("Point d'accueil numérique (démonstration)", "Site name shown and printed.")
    site_address: str = opt("", "Postal address of the site, printed on receipts.")


@dataclass(frozen=True)
class LanguagesConfig:
    offered: tuple[str, ...] = opt(
        ("fr", "ar", "en", "zh", "fa", "ps", "tr", "es", "pt", "ru", "uk", "ta", "bn", "wo"),
        "Language codes offered, in picker order. Default: every language whose catalogs are complete, "
        "in the order of PAN visitors (French, then the most frequent nationalities' languages).")
    default: str = opt("fr", "Language of the attract screen's first line and of mediators.")
    pseudo: bool = opt(False, "Also offer the pseudo-locales qps (text twice as long) and qps-rtl (mirrored) "
                              "to check layouts; for testers, never on a terminal in service.")


@dataclass(frozen=True)
class SessionConfig:
    idle_timeout_s: int = opt(120, "Seconds without input before the idle warning.", min=10, max=3600)
    warning_s: int = opt(30, "Length of the idle warning countdown, in seconds.", min=5, max=300)
    extension_s: int = opt(60, "Seconds added by each 'I need more time'.", min=20, max=1800)
    max_extensions: int = opt(10, "How many times a visitor may ask for more time.", min=10, max=100)
    root: str = opt("", "Where session directories live. Empty: a tmpfs (/dev/shm) when present.")


@dataclass(frozen=True)
class DisplayConfig:
    mode: Literal["fullscreen", "windowed"] = opt("fullscreen",
                                                  "fullscreen on terminals; windowed to develop.")
    width: int = opt(1080, "Window width in windowed mode.", min=320, max=7680)
    height: int = opt(1920, "Window height in windowed mode.", min=320, max=7680)


@dataclass(frozen=True)
class ContentConfig:
    pack: str = opt("", "Directory of the content pack. Empty: the pack shipped with the kiosk.")
    paper_only: tuple[str, ...] = opt(
        (), "Requests this prefecture still handles on paper: procedure ids, or procedure:answer "
            "(e.g. \"renewal:salarie\"). The kiosk tells the visitor instead of guiding them online.",
        pattern=r"[a-z0-9_-]+(:[a-z0-9_-]+)?")
    recheck_after_days: int = opt(
        180, "A guide whose `checked` date is more than this many days old is shown to mediators as being "
             "re-checked; the visitor still gets it.", min=1, max=3650)


@dataclass(frozen=True)
class DevicesConfig:
    """A configuration file means a terminal: the real adapters by default. "simulated" (sample scans,
    prints that go nowhere, a silent voice) must be written out, and the kiosk then shows a demo mark
    and `doctor` fails; only the built-in demo defaults (no file) simulate everything."""

    scanner: Literal["simulated", "sane", "none"] = opt("sane", "Scanner adapter.")
    printer: Literal["simulated", "cups", "none"] = opt("cups", "Printer adapter.")
    printer_queue: str = opt("", "CUPS queue name. Empty: the CUPS default queue.")
    receipt_layout: Literal["a4", "80mm"] = opt("a4", "Receipt paper: A4 sheets or an 80 mm roll.")
    speech: Literal["simulated", "espeak", "none"] = opt("espeak", "Speech adapter.")
    recordings: str = opt("", "Folder of recorded voices, one sub-folder per language (Wolof: made with "
                              "`pan-kiosk i18n audio-script wo`). Empty: the ones shipped in assets/audio.")
    alert_volume: int = opt(100, "Loudness of the idle warning said by the kiosk's own voice (a chime, then "
                                 "the sentence), even when read-aloud is off: percent of espeak-ng's "
                                 "default loudness. Never silent.", min=10, max=200)
    say_language_names: bool = opt(True, "Language page for visitors who cannot read: a touch on a language "
                                          "says its name in that language (a chime when the kiosk has no "
                                          "voice for it) and a second touch chooses it. False: one touch "
                                          "chooses. Needs speech.")
    read_aloud_from_start: bool = opt(True, "After a language chosen that way (its name was said), the kiosk "
                                            "reads every screen aloud from the start; the speaker button "
                                            "silences it. False: only the speaker button starts it.")


HOST_PATTERN = r"(\*\.)?[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?"


def _host_port(entry: str) -> str | None:
    """A host entry's port, when it has one, must be a TCP port (HOST_PATTERN allows 0 and 99999)."""
    _, colon, port = entry.rpartition(":")
    return "expected a port from 1 to 65535" if colon and not 1 <= int(port) <= 65535 else None


def _web_address(url: str) -> str | None:
    """An address the kiosk can open: a host name, and a port from 1 to 65535 if it names one."""
    if not url:
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:              # "https://[x", "https://host:99999"
        return f"expected a web address ({exc})"
    if not parts.hostname:
        return "expected a web address with a host name"
    return "expected a port from 1 to 65535" if port == 0 else None


# The cost parameters kiosk.mediator.auth accepts (its _LIMITS; tests/test_config.py keeps them equal).
SCRYPT_LIMITS = {"ln": (10, 20), "r": (1, 32), "p": (1, 16)}


def _account(entry: str) -> str | None:
    """What the mediator code would refuse at start-up: scrypt costs out of range, salt or key of a
    length no base64 text has (4n + 1 characters)."""
    costs = re.search(r"\$ln=(\d+),r=(\d+),p=(\d+)\$", entry)
    assert costs is not None               # the pattern was matched first
    for name, value in zip(("ln", "r", "p"), costs.groups(), strict=True):
        low, high = SCRYPT_LIMITS[name]
        if not low <= int(value) <= high:
            return f"expected {name} from {low} to {high}"
    if any(len(part) % 4 == 1 for part in entry.rsplit("$", 2)[1:]):
        return "expected the salt and key that `pan-kiosk mediator hash-pin` printed (not valid base64)"
    return None


@dataclass(frozen=True)
class BrowserConfig:
    site: Literal["official", "practice", "none"] = opt(
        "official", "What the guide's 'Open the site' button opens: the official site, the practice replica "
        "of it served by the kiosk on loopback under practice names (nothing is sent; the built-in demo "
        "defaults use it), or no browser at all.")
    allowed_hosts: tuple[str, ...] = opt(
        (), "Hosts the locked browser may load ('*.example.org' for sub-domains, 'host:port'). Empty: the "
        "ANEF portal, FranceConnect, service-public.fr, timbres.impots.gouv.fr and ants.gouv.fr.",
        pattern=HOST_PATTERN, check=_host_port)
    extra_hosts: tuple[str, ...] = opt((), "Hosts allowed on top of allowed_hosts (a prefecture's own site).",
                                       pattern=HOST_PATTERN, check=_host_port)
    resource_hosts: tuple[str, ...] = opt(
        (), "Hosts the allowed pages may load images, styles, fonts, scripts and data from, on top of the "
        "built-in content-delivery hosts (Google Fonts, the address API); never opened as pages. The log "
        "names the hosts a page was refused.", pattern=HOST_PATTERN, check=_host_port)
    webmail: bool = opt(
        True, "The site step's 'My e-mails' button: the visitor's webmail (Gmail, Outlook/Hotmail, Yahoo, "
        "Orange, SFR, Free, La Poste, GMX, Proton: kiosk/browser/webmail.py) opens beside the site in the "
        "visit's private window, and its hosts may load. false: no button and none of those hosts.")
    webmail_hosts: tuple[str, ...] = opt(
        (), "Webmail hosts allowed instead of the built-in ones (sign-in and mailbox pages, '*.example.fr', "
        "'host:port'); the button offers the webmails whose address is among them. Empty: the built-in "
        "list.", pattern=HOST_PATTERN, check=_host_port)


@dataclass(frozen=True)
class StatsConfig:
    dir: str = opt("", "Where anonymous daily counters are kept. Empty: ~/.local/state/pan-kiosk.")


@dataclass(frozen=True)
class UpdatesConfig:
    url: str = opt("", "HTTPS address of the content index (index.json). Empty: no content updates.",
                   pattern=r"(https://\S+)?", check=_web_address)
    public_key: str = opt("", "Minisign public key (the base64 line) that content packs must be signed with.",
                          pattern=r"(RW[A-Za-z0-9+/]{54})?")
    poll_interval_s: int = opt(3600, "Seconds between two checks for new content.", min=60, max=604800)
    timeout_s: int = opt(30, "Network timeout of each request, in seconds.", min=1, max=600)
    dir: str = opt("/var/lib/pan-kiosk/content",
                   "Where downloaded packs are kept (packs/, current, previous). Used when url is set.")
    ca_bundle: str = opt("", "PEM file of the CA to trust for the content server. Empty: the system's.")


@dataclass(frozen=True)
class HealthConfig:
    metrics_file: str = opt("", "Prometheus textfile for node_exporter (…/pan-kiosk.prom). Empty: none.")
    min_free_mb: int = opt(200, "Doctor warns below this much free disk space, in MB.", min=1, max=1000000)


@dataclass(frozen=True)
class MediatorConfig:
    accounts: tuple[str, ...] = opt(
        (), "Mediator accounts, \"id:role:hash\" (role mediator or admin), each line made by "
            "`pan-kiosk mediator hash-pin`; never a plain code. More can come from the keyring "
            "(credential mediator-accounts).",
        pattern=r"[A-Za-z0-9_.-]{1,64}:(mediator|admin):\$scrypt\$ln=\d{1,2},r=\d{1,2},p=\d{1,2}"
                r"\$[A-Za-z0-9+/]{16,}\$[A-Za-z0-9+/]{32,}", check=_account)
    relock_after_s: int = opt(180, "Mediator mode locks again after this many seconds without "
                                   "mediator input.", min=30, max=3600)
    max_failures: int = opt(5, "Wrong codes in a row before the PIN pad is locked.", min=3, max=20)
    lockout_s: int = opt(300, "First lockout, in seconds (doubled at each new lockout).", min=30, max=86400)
    journal_dir: str = opt("", "Directory of the mediator journal. Empty: ~/.local/state/pan-kiosk/journal.")
    journal_max_kb: int = opt(1024, "Size of a journal file before the next one is started, in KB.",
                              min=16, max=1048576)
    journal_keep_files: int = opt(0, "Journal files kept (oldest removed first). 0: keep them all.",
                                  min=0, max=100000)


@dataclass(frozen=True)
class HelpConfig:
    channel: Literal["none", "simulated", "webhook", "matrix"] = opt(
        "none", "Where the \"I need help\" button sends its request. none: the visitor is told to go to "
                "the desk.")
    url: str = opt("", "Webhook address, or the Matrix homeserver's base address (https://matrix.example.org).",
                   pattern=r"(https?://\S+)?", check=_web_address)
    matrix_room: str = opt("", "Matrix room id (!abc123:example.org) the bot account has joined.",
                           pattern=r"(![^:\s]+:\S+)?")
    token_name: str = opt("help-token", "Name of the channel's token in the keyring (service pan-kiosk); "
                          "webhook: sent as a Bearer token if the keyring has it.",
                          pattern=r"[A-Za-z0-9_.-]{1,100}")
    timeout_s: int = opt(10, "Network timeout of each try, in seconds.", min=1, max=120)


@dataclass(frozen=True)
class Config:
    terminal: TerminalConfig = field(default_factory=TerminalConfig)
    languages: LanguagesConfig = field(default_factory=LanguagesConfig)
    session: SessionConfig = field(default_factory=SessionConfig)
    display: DisplayConfig = field(default_factory=DisplayConfig)
    content: ContentConfig = field(default_factory=ContentConfig)
    devices: DevicesConfig = field(default_factory=DevicesConfig)
    browser: BrowserConfig = field(default_factory=BrowserConfig)
    stats: StatsConfig = field(default_factory=StatsConfig)
    updates: UpdatesConfig = field(default_factory=UpdatesConfig)
    health: HealthConfig = field(default_factory=HealthConfig)
    mediator: MediatorConfig = field(default_factory=MediatorConfig)
    help: HelpConfig = field(default_factory=HelpConfig)
    source: str = field(default=DEMO_SOURCE, compare=False)

    @property
    def demo_defaults(self) -> bool:
        """Built-in defaults, no configuration file: the demo (never a terminal)."""
        return self.source == DEMO_SOURCE

    @property
    def simulated_devices(self) -> tuple[str, ...]:
        """The devices this configuration simulates (every one in the built-in demo)."""
        d = self.devices
        return tuple(name for name, kind in (("scanner", d.scanner), ("printer", d.printer),
                                             ("speech", d.speech)) if kind == "simulated")

    @property
    def demo(self) -> bool:
        """Shown as a demo (attract screen, mediator panel): the built-in defaults, or a file that
        simulates a device."""
        return self.demo_defaults or bool(self.simulated_devices)

    def session_root(self) -> Path:
        if self.session.root:
            return Path(self.session.root)
        shm = Path("/dev/shm")
        if shm.is_dir() and os.access(shm, os.W_OK):
            return shm / f"pan-kiosk-{os.getuid()}"
        return Path(os.environ.get("TMPDIR", "/tmp")) / f"pan-kiosk-{os.getuid()}"

    def stats_dir(self) -> Path:
        if self.stats.dir:
            return Path(self.stats.dir)
        state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
        return Path(state) / "pan-kiosk"


@dataclass(frozen=True)
class ConfigProblem:
    line: int | None
    key: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line else "file"
        return f"{where}: {self.key}: {self.message}"


class ConfigError(Exception):
    """The configuration file cannot be used; `problems` lists every reason."""

    def __init__(self, path: str, problems: list[ConfigProblem]) -> None:
        self.path = path
        self.problems = problems
        lines = "\n".join(f"  {path}: {p}" for p in problems)
        super().__init__(f"{len(problems)} problem(s) in {path}:\n{lines}")


# --- reading TOML safely (the content pack's loader uses these too) ------------------------------

MAX_TOML_CHARS = 1_000_000       # a terminal's file is a few KB, a content pack's largest about 11 KB
MAX_TEXT = 2000                  # characters of one text option (the longest, an account line: ~150)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")   # tab and line feed are allowed


class TomlProblem(ValueError):
    """TOML text that cannot be read: the 1-based `line` (None if unknown) and what was expected."""

    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def read_toml(text: str) -> dict[str, Any]:
    """`tomllib.loads`, with each way it can fail as a TomlProblem: a syntax error, text too long,
    lists or tables nested deeper than the parser's stack, an integer too long to convert."""
    if len(text) > MAX_TOML_CHARS:
        raise TomlProblem(None, f"the file has {len(text)} characters, expected at most {MAX_TOML_CHARS}")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise TomlProblem(int(match.group(1)) if match else None, f"not valid TOML: {exc}") from None
    except RecursionError:
        raise TomlProblem(_deepest_line(text), "lists or tables nested too deeply, expected at most "
                          "a few levels") from None
    except ValueError:          # an integer longer than Python converts (sys.get_int_max_str_digits)
        limit = sys.get_int_max_str_digits()
        raise TomlProblem(_longest_number_line(text), f"a number has more than {limit} digits, expected "
                          f"a number of a sensible size") from None


def _deepest_line(text: str) -> int | None:
    """The line where brackets and braces (outside one-line strings and comments) nest deepest."""
    depth, deepest, where = 0, 0, None
    for number, line in enumerate(text.splitlines(), start=1):
        for token in re.findall(r"\"(?:[^\"\\]|\\.)*\"?|'[^']*'?|#.*|[\[\]{}]", line):
            depth += {"[": 1, "{": 1, "]": -1, "}": -1}.get(token, 0)
            if depth > deepest:
                deepest, where = depth, number
    return where


def _longest_number_line(text: str) -> int | None:
    lengths = [max(map(len, re.findall(r"[0-9_]+", line)), default=0) for line in text.splitlines()]
    return lengths.index(max(lengths)) + 1 if lengths else None


class _Short(reprlib.Repr):
    def repr_int(self, x: int, level: int) -> str:
        if x.bit_length() > 128:     # repr() refuses past 4300 digits (a hex TOML integer has no limit)
            return f"a number of about {int(x.bit_length() * 0.30103) + 1} digits"
        return super().repr_int(x, level)


_SHORT = _Short()
_SHORT.maxstring, _SHORT.maxother, _SHORT.maxlevel, _SHORT.maxlist, _SHORT.maxdict = 60, 60, 3, 5, 5


def shown(value: Any) -> str:
    """repr() for an error message, kept short: a huge text, number or list is cut, never printed whole."""
    return _SHORT.repr(value)


# --- loading -------------------------------------------------------------------------------------

# Linear: no two parts can match the same characters (the old header pattern, with spaces inside and
# around the name, took 55 s on a valid 6,000-character header line).
_HEADER = re.compile(r"\s*\[([^\[\]#]*)\]")
_KEY = re.compile(r"([A-Za-z0-9_\-.\"' \t]+)=")


def _key_lines(text: str) -> dict[str, int]:
    """Map dotted keys ("session.idle_timeout_s") and tables to their 1-based line number."""
    lines: dict[str, int] = {}
    table = ""
    for number, raw in enumerate(text.splitlines(), start=1):
        if header := _HEADER.match(raw):
            table = _dotted(header.group(1))
            names = [table]
        elif key := _KEY.match(raw):
            names = [f"{table}.{_dotted(key.group(1))}" if table else _dotted(key.group(1))]
        else:
            continue
        parts = names[0].split(".")
        for depth in range(1, min(len(parts), 3) + 1):     # "[a.b.c]" is also where a and a.b are
            lines.setdefault(".".join(parts[:depth]), number)
    return lines


def _dotted(name: str) -> str:
    return "".join(c for c in name if c not in "\"' \t")


def _describe(tp: Any) -> str:
    origin = typing.get_origin(tp)
    if origin is Literal:
        return "one of " + ", ".join(repr(a) for a in typing.get_args(tp))
    if origin is tuple:
        return f"a list of {_describe(typing.get_args(tp)[0])}s"
    return {int: "a whole number", str: "a text string", bool: "true or false", float: "a number"}.get(
        tp, str(tp)
    )


def _convert(value: Any, tp: Any, meta: typing.Mapping[str, Any]) -> Any:
    """Return the value converted to `tp`, or raise ValueError with what was expected."""
    origin = typing.get_origin(tp)
    if origin is Literal:
        if value not in typing.get_args(tp):
            raise ValueError(f"got {shown(value)}, expected {_describe(tp)}")
        return value
    if origin is tuple:
        if not isinstance(value, list):
            raise ValueError(f"got {shown(value)}, expected {_describe(tp)}")
        item = typing.get_args(tp)[0]
        return tuple(_convert(v, item, meta) for v in value)
    ok = isinstance(value, tp) and not (tp is int and isinstance(value, bool))
    if tp is float and isinstance(value, int) and not isinstance(value, bool):
        value, ok = float(value), True
    if not ok:
        raise ValueError(f"got {shown(value)}, expected {_describe(tp)}")
    if tp is str and len(value) > MAX_TEXT:
        raise ValueError(f"got a text of {len(value)} characters, expected at most {MAX_TEXT}")
    if tp is str and _CONTROL.search(value):
        raise ValueError(f"got {shown(value)}, expected text without control characters")
    if "min" in meta and value < meta["min"]:
        raise ValueError(f"got {shown(value)}, expected at least {meta['min']}")
    if "max" in meta and value > meta["max"]:
        raise ValueError(f"got {shown(value)}, expected at most {meta['max']}")
    if "pattern" in meta and not re.fullmatch(meta["pattern"], value):
        raise ValueError(f"got {shown(value)}, expected text matching {meta['pattern']}")
    if "check" in meta and (problem := meta["check"](value)):
        raise ValueError(f"got {shown(value)}, {problem}")
    return value


def _build(cls: Any, data: Any, prefix: str, lines: dict[str, int],
           problems: list[ConfigProblem]) -> Any:
    if not isinstance(data, dict):
        problems.append(ConfigProblem(lines.get(prefix), prefix, f"expected a [{prefix}] table"))
        return cls()
    hints = typing.get_type_hints(cls)
    known = {f.name: f for f in dataclasses.fields(cls) if f.init and f.name != "source"}
    values: dict[str, Any] = {}
    for key, value in data.items():
        dotted = f"{prefix}.{key}" if prefix else key
        if key not in known:
            problems.append(ConfigProblem(lines.get(dotted), dotted,
                                          f"unknown key; known keys here: {', '.join(sorted(known))}"))
            continue
        tp = hints[key]
        if dataclasses.is_dataclass(tp):
            values[key] = _build(tp, value, dotted, lines, problems)
            continue
        try:
            values[key] = _convert(value, tp, known[key].metadata)
        except ValueError as exc:
            problems.append(ConfigProblem(lines.get(dotted), dotted, str(exc)))
    return cls(**values)


# Rules across fields, declared once. A rule returns None, or the key at fault, what is wrong, and the
# key whose line to show when the one at fault is missing from the file (the one that asks for it).
CrossRule = typing.Callable[[Config], tuple[str, str, str] | None]


def _help_needs_its_address(config: Config) -> tuple[str, str, str] | None:
    h = config.help
    if h.channel in ("webhook", "matrix") and not h.url:
        return "help.url", f"channel {h.channel!r} needs its address (url = \"https://…\")", "help.channel"
    return None


def _matrix_needs_a_room(config: Config) -> tuple[str, str, str] | None:
    h = config.help
    if h.channel == "matrix" and not h.matrix_room:
        return "help.matrix_room", "channel 'matrix' needs the room id (!abc123:example.org)", "help.channel"
    return None


def _updates_need_a_key(config: Config) -> tuple[str, str, str] | None:
    u = config.updates
    if u.url and not u.public_key:
        return "updates.public_key", "content updates need the public key their packs are signed with", \
            "updates.url"
    return None


def _queue_needs_cups(config: Config) -> tuple[str, str, str] | None:
    d = config.devices
    if d.printer_queue and d.printer != "cups":
        return "devices.printer", f"a CUPS queue is set but printer = {d.printer!r}, expected \"cups\"", \
            "devices.printer_queue"
    return None


def _webmail_hosts_need_webmail(config: Config) -> tuple[str, str, str] | None:
    b = config.browser
    if b.webmail_hosts and not b.webmail:
        return ("browser.webmail_hosts", "webmail hosts are set but webmail = false, expected webmail = "
                "true or no webmail_hosts", "browser.webmail")
    return None


CROSS_RULES: tuple[CrossRule, ...] = (_help_needs_its_address, _matrix_needs_a_room, _updates_need_a_key,
                                      _queue_needs_cups, _webmail_hosts_need_webmail)


def _cross_checks(config: Config, lines: dict[str, int]) -> list[ConfigProblem]:
    found = [problem for rule in CROSS_RULES if (problem := rule(config)) is not None]
    problems = [ConfigProblem(lines.get(key) or lines.get(near), key, what) for key, what, near in found]
    langs = config.languages
    if not langs.offered:
        problems.append(ConfigProblem(lines.get("languages.offered"), "languages.offered",
                                      "expected at least one language"))
    if langs.offered and langs.default not in langs.offered:
        problems.append(ConfigProblem(lines.get("languages.default"), "languages.default",
                                      f"got {langs.default!r}, expected one of languages.offered"))
    ids = [entry.split(":", 1)[0] for entry in config.mediator.accounts]
    for twice in sorted({i for i in ids if ids.count(i) > 1}):
        problems.append(ConfigProblem(lines.get("mediator.accounts"), "mediator.accounts",
                                      f"account id {twice!r} appears twice, expected each id once"))
    return problems


def parse(text: str, source: str = "<text>", known_languages: typing.Collection[str] = ()) -> Config:
    """Parse and validate configuration text; raise ConfigError listing every problem."""
    try:
        data = read_toml(text)
    except TomlProblem as exc:
        raise ConfigError(source, [ConfigProblem(exc.line, "(syntax)", exc.message)]) from None
    lines = _key_lines(text)
    problems: list[ConfigProblem] = []
    config: Config = _build(Config, data, "", lines, problems)
    problems += _cross_checks(config, lines)
    if known_languages:
        for code in config.languages.offered:
            if code not in known_languages:
                problems.append(ConfigProblem(
                    lines.get("languages.offered"), "languages.offered",
                    f"got {code!r}, expected language codes among {', '.join(sorted(known_languages))}"))
    if problems:
        raise ConfigError(source, problems)
    return dataclasses.replace(config, source=source)


def load(path: Path | None, known_languages: typing.Collection[str] = ()) -> Config:
    """Load the file at `path`, or /etc/pan-kiosk/kiosk.toml, or return the demo defaults."""
    if path is None:
        if not DEFAULT_PATH.exists():
            return demo_config()
        path = DEFAULT_PATH
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(str(path), [ConfigProblem(None, "(file)", f"cannot read: {exc}")]) from None
    return parse(text, str(path), known_languages)


def demo_config() -> Config:
    """The built-in demo defaults (no configuration file): every device simulated, so the demo works
    on a developer's machine with no scanner or printer, and says it is a demo."""
    devices = DevicesConfig(scanner="simulated", printer="simulated", speech="simulated")
    return Config(devices=devices)


def example() -> str:
    """A documented configuration file with every option at its default."""
    out = ["# PAN Kiosk terminal configuration (/etc/pan-kiosk/kiosk.toml).",
           "# Every option is shown with its default. Unknown keys are errors.", ""]
    for section in dataclasses.fields(Config):
        if section.name == "source":
            continue
        cls = typing.get_type_hints(Config)[section.name]
        out.append(f"[{section.name}]")
        hints = typing.get_type_hints(cls)
        for f in dataclasses.fields(cls):
            default = f.default if f.default is not dataclasses.MISSING else f.default_factory()  # type: ignore[operator]
            out.append(f"# {f.metadata['doc']} ({_describe(hints[f.name])})")
            out.append(f"{f.name} = {_toml_value(default)}")
        out.append("")
    return "\n".join(out)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    escaped = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


__all__ = ["Config", "ConfigError", "ConfigProblem", "example", "load", "parse"]
