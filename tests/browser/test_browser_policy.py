"""Pure rules of the locked browser: allow-list, schemes, guide-step matching, report addresses."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from kiosk.browser.policy import (
    DEFAULT_ALLOWED_HOSTS,
    REFUSAL_MESSAGES,
    HostRule,
    NavigationPolicy,
    RefusalReason,
    StepMatcher,
    StepRule,
    address_for_report,
    devtools_exposed,
    safe_download_name,
)

ANEF = "https://administration-etrangers-en-france.interieur.gouv.fr"


def reason(policy: NavigationPolicy, url: str) -> str | None:
    refusal = policy.check(url)
    return None if refusal is None else refusal.reason.value


@pytest.mark.parametrize("url", [
    ANEF + "/particuliers/#/espace-personnel", "https://app.franceconnect.gouv.fr/api/v1/authorize",
    "https://oidc.franceconnect.gouv.fr/api/v2/authorize", "https://idp.france-identite.gouv.fr/x",
    "https://sso.anef.dgef.interieur.gouv.fr/auth/realms/anef-usagers/protocol/openid-connect/auth",
    "https://www.service-public.fr/particuliers/vosdroits/F2209",
    "https://timbres.impots.gouv.fr/", "https://ants.gouv.fr/", "https://moncompte.ants.gouv.fr/",
    "HTTPS://ADMINISTRATION-ETRANGERS-EN-FRANCE.INTERIEUR.GOUV.FR./", ANEF + ":443/", "about:blank",
    f"blob:{ANEF}/5b1c6a1e-0000-4000-8000-000000000000", "http://127.0.0.1:8123/compte/creer",
])
def test_default_allow_list_lets_the_official_sites_load(url: str) -> None:
    assert reason(NavigationPolicy().with_hosts("127.0.0.1:8123"), url) is None


@pytest.mark.parametrize(("url", "why"), [
    ("file:///etc/passwd", "scheme"), ("data:text/html,<h1>x</h1>", "scheme"),
    ("javascript:alert(1)", "scheme"), ("chrome://settings", "scheme"), ("devtools://devtools/x", "scheme"),
    ("view-source:" + ANEF, "scheme"), ("about:config", "scheme"), ("ftp://ants.gouv.fr/", "scheme"),
    ("mailto:a@b.fr", "scheme"), ("intent://x", "scheme"), ("blob:https://evil.example/1", "host"),
    ("blob:null/1", "scheme"), ("http://" + ANEF.removeprefix("https://") + "/", "insecure"),
    ("https://www.example.com/", "host"), ("https://evil-ants.gouv.fr/", "host"),
    ("https://fcp.integ01.dev-franceconnect.fr/x", "host"),           # test environments: never
    ("https://qualification.sso.anef.dgef.interieur.gouv.fr/", "host"),
    ("https://ants.gouv.fr.evil.com/", "host"), ("https://ants.gouv.fr@evil.com/", "host"),
    ("https://franceconnect.gouv.fr/", "host"),          # only sub-domains of *.franceconnect.gouv.fr
    (ANEF + ":8443/", "host"), ("http://127.0.0.1:9999/", "host"), ("http://127.0.0.2:8123/", "host"),
    ("https:///nohost", "malformed"), ("https://ants.gouv.fr:99999/", "malformed"), ("", "malformed"),
    ("no scheme at all", "malformed"),
])
def test_everything_else_is_refused_with_a_reason(url: str, why: str) -> None:
    assert reason(NavigationPolicy().with_hosts("127.0.0.1:8123"), url) == why


def test_every_reason_has_an_explanation_for_the_visitor() -> None:
    assert set(REFUSAL_MESSAGES) == set(RefusalReason)
    refusal = NavigationPolicy().check("file:///")
    assert refusal is not None and refusal.message == REFUSAL_MESSAGES[RefusalReason.SCHEME]


def test_host_rules_parse_ports_wildcards_and_ipv6() -> None:
    assert HostRule.parse("*.Example.FR.") == HostRule("example.fr", None, True)
    assert HostRule.parse("127.0.0.1:80") == HostRule("127.0.0.1", 80, False)
    assert HostRule.parse("[::1]:8080") == HostRule("::1", 8080, False)
    assert reason(NavigationPolicy(["[::1]:8080"]), "http://[::1]:8080/") is None
    for bad in ("", "a/b", "x@y", "host:port"):
        with pytest.raises(ValueError):
            HostRule.parse(bad)
    assert "administration-etrangers-en-france.interieur.gouv.fr" in DEFAULT_ALLOWED_HOSTS


def test_report_address_has_no_query_fragment_or_user_info() -> None:
    assert address_for_report(ANEF + "/particuliers/demande?numero=1234567890&nom=X#step2") == \
        ANEF + "/particuliers/demande"
    assert address_for_report("https://user:pw@ants.gouv.fr:443/a?b") == "https://ants.gouv.fr:443/a"
    assert address_for_report("http://[::1") == ""


def test_step_matcher_uses_the_address_then_the_heading() -> None:
    matcher = StepMatcher([
        StepRule("upload-passport", (r"/demande/pieces$",), (r"passeport",)),
        StepRule("upload-other", (r"/demande/pieces$",)),
        StepRule("identity", (r"/demande/identite",)),
    ])
    assert matcher.match(ANEF + "/demande/pieces?x=1", "Votre PASSEPORT") == "upload-passport"
    assert matcher.match(ANEF + "/demande/pieces", "Justificatif de domicile") == "upload-other"
    assert matcher.match(ANEF + "/demande/identite#top") == "identity"
    assert matcher.match(ANEF + "/ailleurs") is None
    assert matcher.match(ANEF + "/ailleurs?u=/demande/identite") is None   # the query is not matched


def test_a_catastrophic_pattern_cannot_hang_matching() -> None:
    # (a+)+$ takes about 2**40 steps in a backtracking engine on 40 "a" then "!"; the guide's matchers
    # must answer at once whatever the pattern, even one that never went through `content check`.
    # A separate process, so that the old behaviour fails by timeout instead of hanging the run.
    code = textwrap.dedent("""
        import datetime as dt
        from kiosk.browser.policy import SiteGuide, StepMatcher, StepRule
        from kiosk.content.model import Procedure
        evil, text = "(a+)+$", "a" * 40 + "!"
        url = "https://administration-etrangers-en-france.interieur.gouv.fr/" + text
        assert StepMatcher([StepRule("s", (evil,))]).match(url) is None
        assert StepMatcher([StepRule("s", ("gouv",), (evil,))]).match(url, text) is None
        procedure = Procedure("p", "P", "", "", dt.date(2026, 1, 1), "s", {}, (), site_url_patterns=(evil,))
        assert not SiteGuide.for_procedure(procedure).locate(url).on_path
        assert SiteGuide(path_patterns=(evil,)).locate("https://x.fr/aaaa").on_path
    """)
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_heading_patterns_ignore_case_beyond_ascii() -> None:
    matcher = StepMatcher([StepRule("s", (r"/demande$",), (r"ÉTAT CIVIL",))])
    assert matcher.match(ANEF + "/demande", "Votre état civil") == "s"


def test_download_names_stay_in_their_directory() -> None:
    assert safe_download_name("../../etc/passwd") == "passwd"
    assert safe_download_name("..\\..\\x.pdf") == "x.pdf"
    assert safe_download_name(".hidden") == "hidden"
    assert safe_download_name("") == "document"
    assert safe_download_name("a\x00b.pdf") == "a_b.pdf"
    long = safe_download_name("x" * 300 + ".pdf")
    assert len(long) <= 120 and long.endswith(".pdf")


def test_devtools_exposure_is_detected() -> None:
    assert not devtools_exposed({})
    assert devtools_exposed({"QTWEBENGINE_REMOTE_DEBUGGING": "9222"})
    assert devtools_exposed({"QTWEBENGINE_CHROMIUM_FLAGS": "--remote-debugging-port=9222"})
