"""The mediator's "new e-mail address" checklist: what to go through with a visitor who creates (or gets
back) a mailbox for the ANEF site, beside the e-mail address guide (procedures/email_address.toml).

Pure data (English msgids, translated in the mediator's language by the panel). The ticks are the
mediator's, not the visitor's data, and are cleared with the panel at every re-lock and wipe. Nothing
here ever holds the address or a password."""

from __future__ import annotations

from kiosk.i18n import N_

TITLE = N_("New e-mail address: checklist")
INTRO = N_("Go through it with the visitor. The visitor types the password alone: you never see it and "
           "never write it down.")
ITEMS: tuple[tuple[str, str], ...] = (
    ("phone", N_("The visitor's mobile phone is at hand (the service may send a code by SMS).")),
    ("password", N_("The visitor chose and typed the password alone. It is written nowhere on the kiosk "
                    "or on the slip.")),
    ("recovery", N_("A recovery phone number or a second e-mail address is set in the mailbox.")),
    ("tested", N_("The address works: a test message arrived in the mailbox.")),
    ("portal", N_("The same address, letter by letter, is the one given to the ANEF site.")),
    ("slip", N_("The address is printed on the slip, and the visitor keeps it.")),
)
