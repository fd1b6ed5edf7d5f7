"""HTML shared by the replica's server-rendered pages (the sign-on host, FranceConnect and its identity
providers, the stamp shop; the portal's single-page app draws its own, kiosk.browser.replica.spa).

Every page carries the banner "Entraînement — rien n'est envoyé". Values are escaped; pages hold no
script.
"""

from __future__ import annotations

from html import escape

BANNER = "Entraînement — rien n'est envoyé"
REQUIRED_TEXT = "Ce champ est obligatoire. Veuillez le renseigner."

CSS = """
body{font-family:"Marianne","Noto Sans","DejaVu Sans",sans-serif;margin:0;color:#161616;background:#f6f6f6}
.practice{background:#b34000;color:#fff;font-weight:bold;text-align:center;padding:10px;font-size:20px}
header{background:#fff;border-bottom:3px solid #000091;padding:14px 24px}
header .rf{font-weight:bold;text-transform:uppercase;font-size:14px;line-height:1.1}
header .site{color:#000091;font-size:20px;font-weight:bold;margin-top:6px}
main{background:#fff;max-width:860px;margin:24px auto;padding:24px 32px}
h1{color:#000091;font-size:28px}
label{display:block;font-weight:bold;margin-top:16px}
.hint{display:block;font-weight:normal;color:#666;font-size:14px}
input[type=text],input[type=email],input[type=tel],input[type=password],input[type=date],select{
 width:100%;box-sizing:border-box;padding:8px;font-size:18px;border:0;border-bottom:2px solid #3a3a3a;
 background:#eee;font-family:inherit}
input[type=checkbox]{width:24px;height:24px;vertical-align:middle}
button,.button{font-family:inherit;display:inline-block;background:#000091;color:#fff;border:0;
 padding:12px 20px;font-size:18px;margin-top:24px;text-decoration:none}
.errors{border-left:4px solid #ce0500;background:#ffe9e9;padding:8px 16px;color:#ce0500}
.ok{border-left:4px solid #18753c;background:#b8fec9;padding:8px 16px}
table{border-collapse:collapse;width:100%}td,th{text-align:left;border-bottom:1px solid #ddd;padding:6px}
"""


# --- the official sites' server-rendered pages (sign-on, FranceConnect, identity providers, stamp shop) --

SITE_CSS = """
.fr-alert{border-left:4px solid #0063cb;background:#e8edff;padding:8px 16px;margin:16px 0}
.fr-alert--error{border-left-color:#ce0500;background:#ffe9e9;color:#ce0500}
.fr-alert--success{border-left-color:#18753c;background:#b8fec9}
.fr-hint-text{display:block;font-weight:normal;color:#666;font-size:14px}
.separator{text-align:center;font-weight:bold;margin:24px 0}
.choices{display:flex;flex-wrap:wrap;gap:12px}.choices form{margin:0}
.choices button{background:#fff;color:#000091;border:1px solid #000091;min-width:260px}
.fc-button{background:#000091;color:#fff;font-weight:bold}
.secondary{background:#fff;color:#000091;border:1px solid #000091}
.tabs{display:flex;gap:8px;flex-wrap:wrap;margin:8px 0 16px}
.tabs span{padding:6px 12px;border:1px solid #ddd;color:#666}
.tabs span.active{border-color:#000091;color:#000091;font-weight:bold}
fieldset{border:0;padding:0;margin:16px 0}legend{font-weight:bold}
input[type=radio]{width:22px;height:22px;vertical-align:middle}
"""


def site_page(title: str, site: str, body: str, *, subtitle: str = "") -> bytes:
    """A page of one of the official sites the replica mirrors (`site`: the name in its header), with
    the practice banner. `title` is the browser tab's title, `body` already escaped HTML."""
    small = f'<div class="hint">{escape(subtitle)}</div>' if subtitle else ""
    html = (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
        f"<title>{escape(title)} — {escape(BANNER)}</title><style>{CSS}{SITE_CSS}</style></head><body>"
        f'<div class="practice" role="note" id="entrainement">{escape(BANNER)}</div>'
        f'<header><div class="rf">République<br>Française</div><div class="site">{escape(site)}</div>{small}'
        f"</header><main>{body}</main></body></html>")
    return html.encode("utf-8")


def input_field(name: str, label: str, kind: str = "text", value: str = "", hint: str = "",
                autocomplete: str = "", ident: str = "") -> str:
    """A labelled input of a server-rendered official page (`ident`: its id, when not its name)."""
    ident = ident or name
    hint_html = f'<span class="hint">{escape(hint)}</span>' if hint else ""
    auto = f' autocomplete="{escape(autocomplete)}"' if autocomplete else ""
    shown = "" if kind == "password" else escape(value)
    return (f'<label for="{escape(ident)}">{escape(label)}{hint_html}</label>'
            f'<input type="{kind}" id="{escape(ident)}" name="{escape(name)}" value="{shown}"{auto}>')
