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
import tomllib
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

DEFAULT_PATH = Path("/etc/pan-kiosk/kiosk.toml")
DEMO_SOURCE = "<built-in demo defaults>"


def opt(default: Any, doc: str, **rules: Any) -> Any:
    """Declare an option: default value, one-line description, optional rules (min, max, pattern)."""
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
    offered: tuple[str, ...] = opt(("fr", "en", "ar"), "Language codes offered, in picker order.")
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


@dataclass(frozen=True)
class DevicesConfig:
    scanner: Literal["simulated", "sane", "none"] = opt("simulated", "Scanner adapter.")
    printer: Literal["simulated", "cups", "none"] = opt("simulated", "Printer adapter.")
    printer_queue: str = opt("", "CUPS queue name. Empty: the CUPS default queue.")
    receipt_layout: Literal["a4", "80mm"] = opt("a4", "Receipt paper: A4 sheets or an 80 mm roll.")
    speech: Literal["simulated", "espeak", "none"] = opt("simulated", "Speech adapter.")
    recordings: str = opt("", "Folder of recorded voices, one sub-folder per language (Wolof: made with "
                              "`pan-kiosk i18n audio-script wo`). Empty: the ones shipped in assets/audio.")


HOST_PATTERN = r"(\*\.)?[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?"


@dataclass(frozen=True)
class BrowserConfig:
    site: Literal["official", "practice", "none"] = opt(
        "official", "What the guide's 'Open the site' button opens: the official site, the practice copy "
        "served by the kiosk on 127.0.0.1 (nothing is sent; the built-in demo defaults use it), or no "
        "browser at all.")
    allowed_hosts: tuple[str, ...] = opt(
        (), "Hosts the locked browser may load ('*.example.org' for sub-domains, 'host:port'). Empty: the "
        "ANEF portal, FranceConnect, service-public.fr, timbres.impots.gouv.fr and ants.gouv.fr.",
        pattern=HOST_PATTERN)
    extra_hosts: tuple[str, ...] = opt((), "Hosts allowed on top of allowed_hosts (a prefecture's own site).",
                                       pattern=HOST_PATTERN)


@dataclass(frozen=True)
class StatsConfig:
    dir: str = opt("", "Where anonymous daily counters are kept. Empty: ~/.local/state/pan-kiosk.")


@dataclass(frozen=True)
class UpdatesConfig:
    url: str = opt("", "HTTPS address of the content index (index.json). Empty: no content updates.",
                   pattern=r"(https://\S+)?")
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
                r"\$[A-Za-z0-9+/]{16,}\$[A-Za-z0-9+/]{32,}")
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
                   pattern=r"(https?://\S+)?")
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


# --- loading -------------------------------------------------------------------------------------

_HEADER = re.compile(r"^\s*\[\s*([A-Za-z0-9_.\-\s\"]+?)\s*\]\s*(#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+)\s*=")


def _key_lines(text: str) -> dict[str, int]:
    """Map dotted keys ("session.idle_timeout_s") and tables to their 1-based line number."""
    lines: dict[str, int] = {}
    table = ""
    for number, raw in enumerate(text.splitlines(), start=1):
        if header := _HEADER.match(raw):
            table = header.group(1).replace('"', "").replace(" ", "")
            lines.setdefault(table, number)
        elif key := _KEY.match(raw):
            lines.setdefault(f"{table}.{key.group(1)}" if table else key.group(1), number)
    return lines


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
            raise ValueError(f"got {value!r}, expected {_describe(tp)}")
        return value
    if origin is tuple:
        if not isinstance(value, list):
            raise ValueError(f"got {value!r}, expected {_describe(tp)}")
        item = typing.get_args(tp)[0]
        return tuple(_convert(v, item, meta) for v in value)
    ok = isinstance(value, tp) and not (tp is int and isinstance(value, bool))
    if tp is float and isinstance(value, int) and not isinstance(value, bool):
        value, ok = float(value), True
    if not ok:
        raise ValueError(f"got {value!r}, expected {_describe(tp)}")
    if "min" in meta and value < meta["min"]:
        raise ValueError(f"got {value!r}, expected at least {meta['min']}")
    if "max" in meta and value > meta["max"]:
        raise ValueError(f"got {value!r}, expected at most {meta['max']}")
    if "pattern" in meta and not re.fullmatch(meta["pattern"], value):
        raise ValueError(f"got {value!r}, expected text matching {meta['pattern']}")
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


def _cross_checks(config: Config, lines: dict[str, int]) -> list[ConfigProblem]:
    problems = []
    langs = config.languages
    if not langs.offered:
        problems.append(ConfigProblem(lines.get("languages.offered"), "languages.offered",
                                      "expected at least one language"))
    if langs.offered and langs.default not in langs.offered:
        problems.append(ConfigProblem(lines.get("languages.default"), "languages.default",
                                      f"got {langs.default!r}, expected one of languages.offered"))
    return problems


def parse(text: str, source: str = "<text>", known_languages: typing.Collection[str] = ()) -> Config:
    """Parse and validate configuration text; raise ConfigError listing every problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        line = int(match.group(1)) if match else None
        raise ConfigError(source, [ConfigProblem(line, "(syntax)", f"not valid TOML: {exc}")]) from None
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
            return Config()
        path = DEFAULT_PATH
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(str(path), [ConfigProblem(None, "(file)", f"cannot read: {exc}")]) from None
    return parse(text, str(path), known_languages)


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
