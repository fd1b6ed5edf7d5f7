"""The mailbox's rules with no browser: the webmail list and its sources, how it enters the navigation
policy (a list apart, on by default, off per terminal), the configuration's errors, the redirector links,
and the replica's SMTP catcher (a real SMTP server on loopback)."""

from __future__ import annotations

import re
import smtplib
import socket
from email.message import EmailMessage
from urllib.parse import quote

import pytest

import kiosk.browser.webmail as webmail_mod
from kiosk.browser.policy import DEFAULT_ALLOWED_HOSTS, NavigationPolicy, RefusalReason
from kiosk.browser.replica import PracticeSite
from kiosk.browser.replica.official import Mail
from kiosk.browser.replica.smtp import MAX_RECIPIENTS, MailCatcher
from kiosk.browser.replica.webmail import LOGIN, MAILBOX, START
from kiosk.browser.setup import navigation_policy
from kiosk.browser.webmail import (
    DEFAULT_WEBMAIL_HOSTS,
    DEFAULT_WEBMAIL_RESOURCE_HOSTS,
    DEFAULT_WEBMAILS,
    for_address,
    link_target,
)
from kiosk.config import ConfigError, parse

PORTAL = "https://administration-etrangers-en-france.interieur.gouv.fr/usagers/#/"


def test_every_webmail_names_its_sign_in_and_mailbox_hosts_with_a_source() -> None:
    sources = set(re.findall(r"^- (S-[A-Z]+) ", webmail_mod.__doc__ or "", flags=re.MULTILINE))
    policy = NavigationPolicy(DEFAULT_ALLOWED_HOSTS, (), DEFAULT_WEBMAIL_HOSTS)
    assert {w.id for w in DEFAULT_WEBMAILS} == {"gmail", "outlook", "yahoo", "orange", "sfr", "free",
                                                "laposte", "gmx", "proton"}
    for w in DEFAULT_WEBMAILS:
        assert w.sources and set(w.sources) <= sources, w.id
        assert policy.area(w.start) == "webmail", w.id          # where the kiosk opens it is allowed
        assert w.domains and len(w.hosts) >= 1
    assert START == next(w.start for w in DEFAULT_WEBMAILS if w.id == "orange")   # the replica's is real
    assert {LOGIN, MAILBOX} <= set(DEFAULT_WEBMAIL_HOSTS)


def test_the_webmail_list_is_apart_from_the_site_map() -> None:
    site = NavigationPolicy()
    assert not set(DEFAULT_WEBMAIL_HOSTS) & set(DEFAULT_ALLOWED_HOSTS)
    for host in DEFAULT_WEBMAIL_HOSTS:                         # the site's own policy refuses them all
        url = f"https://{host.replace('*.', 'x.')}/"
        assert site.check(url) is not None and site.area(url) is None
    both = site.with_webmail_hosts(*DEFAULT_WEBMAIL_HOSTS)
    assert both.entries == DEFAULT_ALLOWED_HOSTS                # with_* keep each list where it is
    assert both.with_hosts("127.0.0.1:8000").webmail_entries == DEFAULT_WEBMAIL_HOSTS
    assert both.area(PORTAL) == "site" and both.area("https://mail.google.com/mail/") == "webmail"
    refused = both.check("https://www.google.com/search?q=x")          # Google's search is not Gmail
    assert refused is not None and refused.reason is RefusalReason.HOST
    assert both.check("http://mail.google.com/") is not None            # https only, as everywhere
    assert both.area("about:blank") is None


def test_the_defaults_switch_and_the_terminal_list(make_config) -> None:
    on = navigation_policy(make_config('[browser]\nsite = "official"'), None)
    assert on.entries == DEFAULT_ALLOWED_HOSTS and on.webmail_entries == DEFAULT_WEBMAIL_HOSTS
    assert set(DEFAULT_WEBMAIL_RESOURCE_HOSTS) <= set(on.resource_entries)
    assert on.check_resource("https://ssl.gstatic.com/x.js") is None
    assert on.check("https://ssl.gstatic.com/") is not None            # a resource host, never a page
    off = navigation_policy(make_config('[browser]\nsite = "official"\nwebmail = false'), None)
    assert off.webmail_entries == () and off.entries == DEFAULT_ALLOWED_HOSTS
    assert off.check("https://mail.google.com/") is not None
    assert off.check_resource("https://ssl.gstatic.com/x.js") is not None
    own = navigation_policy(make_config('[browser]\nsite = "official"\n'
                                        'webmail_hosts = ["webmail.example.fr"]'), None)
    assert own.webmail_entries == ("webmail.example.fr",)
    assert own.check("https://webmail.example.fr/") is None
    assert own.check("https://mail.google.com/") is not None


def test_configuration_errors_are_precise() -> None:
    with pytest.raises(ConfigError) as caught:
        parse('[browser]\nwebmail = "yes"\nwebmail_hosts = ["https://mail.example.fr/"]\n')
    text = str(caught.value)
    assert "line 2: browser.webmail: got 'yes', expected true or false" in text
    assert "line 3: browser.webmail_hosts: got 'https://mail.example.fr/', expected text matching" in text
    with pytest.raises(ConfigError) as caught:
        parse('[browser]\nwebmail_hosts = ["ok.example.fr:0"]\n')
    assert "line 2: browser.webmail_hosts: got 'ok.example.fr:0', expected a port from 1 to 65535" in \
        str(caught.value)
    with pytest.raises(ConfigError) as caught:
        parse('[browser]\nwebmail = false\nwebmail_hosts = ["webmail.example.fr"]\n')
    assert "webmail hosts are set but webmail = false" in str(caught.value)
    assert "line 3" in str(caught.value)


def test_for_address_and_redirector_links() -> None:
    assert for_address("Samira.B@Wanadoo.fr").id == "orange"
    assert for_address("x@hotmail.fr").id == "outlook" and for_address("x@example.org") is None
    target = PORTAL + "espace-personnel/inscription/mot-de-passe?token=abc"
    wrapped = "https://www.google.com/url?q=" + quote(target, safe="") + "&sa=D"
    assert link_target(wrapped) == target
    safe = ("https://eur01.safelinks.protection.outlook.com/?url="
            + quote(target, safe="") + "&data=x")
    assert link_target(safe) == target
    assert link_target("https://www.google.com/url?q=javascript:alert(1)") == \
        "https://www.google.com/url?q=javascript:alert(1)"          # only an https target is unwrapped
    search = "https://www.google.com/search?q=" + target
    assert link_target(search) == search
    assert link_target("https://evil.example/url?q=" + target) == "https://evil.example/url?q=" + target


# --- the replica's SMTP catcher ---------------------------------------------------------------------------

@pytest.fixture
def catcher():
    c = MailCatcher().start()
    yield c
    c.stop()


def test_the_catcher_is_a_real_smtp_server(catcher: MailCatcher) -> None:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "a@orange.fr", "B@Orange.fr", "Photos"
    message.set_content("ligne\n.ligne qui commence par un point\n..deux\n")
    message.add_attachment(b"\xff\xd8\xff" + bytes(300), maintype="image", subtype="jpeg", filename="p.jpg")
    with smtplib.SMTP(*catcher.address, timeout=5) as client:
        assert client.ehlo()[0] == 250
        refused = client.send_message(message, to_addrs=["b@orange.fr", "c@orange.fr"])
    assert refused == {}
    caught = catcher.messages("B@ORANGE.FR")
    assert len(caught) == 1 and catcher.messages("c@orange.fr") == caught
    got = caught[0].message
    assert got.get_body(("plain",)).get_content() == "ligne\n.ligne qui commence par un point\n..deux\n"
    assert [p.get_filename() for p in got.iter_attachments()] == ["p.jpg"]
    assert next(got.iter_attachments()).get_payload(decode=True) == b"\xff\xd8\xff" + bytes(300)
    assert catcher.message(caught[0].number) == caught[0]
    catcher.forget()
    assert catcher.messages("b@orange.fr") == []


def test_the_catcher_refuses_what_is_out_of_order_or_too_much(catcher: MailCatcher) -> None:
    with socket.create_connection(catcher.address, timeout=5) as raw:
        f = raw.makefile("rwb")
        assert f.readline().startswith(b"220")
        for line, code in ((b"DATA", b"503"), (b"RCPT TO:<a@b.fr>", b"503"), (b"VRFY a", b"502"),
                           (b"MAIL FROM:<x@y.fr>", b"250")):
            f.write(line + b"\r\n")
            f.flush()
            assert f.readline().startswith(code), line
        for n in range(MAX_RECIPIENTS):
            f.write(f"RCPT TO:<r{n}@b.fr>\r\n".encode())
            f.flush()
            assert f.readline().startswith(b"250")
        f.write(b"RCPT TO:<one-too-many@b.fr>\r\n")
        f.flush()
        assert f.readline().startswith(b"452")
        f.write(b"QUIT\r\n")
        f.flush()
        assert f.readline().startswith(b"221")
    assert catcher.messages("r0@b.fr") == []


def test_the_replica_sends_the_portals_messages_over_smtp() -> None:
    with PracticeSite() as site:
        host, port = site.mail.address
        assert host == "127.0.0.1" and port > 0
        site.official.store.send(Mail("v@orange.fr", "Création de votre compte - Étrangers en France",
                                      "Bonjour,\nChoisissez votre mot de passe.", PORTAL + "x?token=1",
                                      "Choisir mon mot de passe"))
        caught = site.mail.messages("v@orange.fr")
        assert len(caught) == 1
        assert caught[0].message["Subject"] == "Création de votre compte - Étrangers en France"
        assert PORTAL + "x?token=1" in caught[0].message.get_content()
        site.forget()
        assert site.mail.messages("v@orange.fr") == []


def test_practice_mode_reaches_no_real_webmail(make_config) -> None:
    """Practice promises that nothing leaves the machine: no webmail host, so no "My e-mails" button."""
    with PracticeSite() as site:
        policy = navigation_policy(make_config('[browser]\nsite = "practice"'), site)
    assert policy.webmail_entries == ()
    assert policy.check("https://mail.google.com/mail/") is not None
    assert not set(DEFAULT_WEBMAIL_RESOURCE_HOSTS) & set(policy.resource_entries)
