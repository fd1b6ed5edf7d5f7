"""Ed25519 signatures in the minisign format (https://jedisct1.github.io/minisign/).

Why minisign: one base64 line is the whole public key (easy to put in kiosk.toml and Ansible), the
signature file carries a *trusted comment* covered by the signature (we put the pack id and version
there, so a kiosk refuses an older pack before unpacking anything), and admins can check or make
signatures with the stock `minisign` tool (Debian package `minisign`) as well as with
`pan-kiosk content sign`. Crypto is `cryptography` (PyCA, Ed25519 through OpenSSL): it is already in
the kiosk's dependency tree through keyring/SecretStorage, so no extra native wheel is shipped.

Formats (all binary blobs base64-encoded on one line):
- public key:  b"Ed" + key_id(8) + public_key(32)
- signature:   b"ED" + key_id(8) + sig(64), sig = Ed25519(BLAKE2b-512(file))  (b"Ed": sig over the file)
               then "trusted comment: <text>" and global_sig = Ed25519(sig + <text>)
- secret key:  unencrypted minisign keys only (`minisign -G -W`, or `pan-kiosk content keygen`):
               b"Ed" b"\\0\\0" b"B2" salt(32) ops(8) mem(8) key_id(8) seed+pk(64) BLAKE2b-256 checksum(32)
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from kiosk.i18n import N_
from kiosk.sync.errors import SignatureError

UNTRUSTED = "untrusted comment: "
TRUSTED = "trusted comment: "
CHUNK = 1 << 20


def _b64(text: str, what: str) -> bytes:
    try:
        return base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise SignatureError(N_("The content update is not signed correctly."),
                             f"{what}: not base64") from None


def _key_line(text: str) -> str:
    """The base64 line of a key: the text itself, or the second line of a minisign key file."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    lines = [line for line in lines if not line.startswith(UNTRUSTED)]
    if len(lines) != 1:
        raise SignatureError(N_("The content update key in the configuration is not valid."),
                             "expected one base64 line (or a minisign .pub file)")
    return lines[0]


@dataclass(frozen=True)
class PublicKey:
    key_id: bytes
    key: Ed25519PublicKey

    @classmethod
    def parse(cls, text: str) -> PublicKey:
        blob = _b64(_key_line(text), "public key")
        if len(blob) != 42 or blob[:2] != b"Ed":
            raise SignatureError(N_("The content update key in the configuration is not valid."),
                                 f"public key: {len(blob)} bytes, expected an Ed25519 minisign key")
        return cls(blob[2:10], Ed25519PublicKey.from_public_bytes(blob[10:]))

    @property
    def key_id_hex(self) -> str:
        return self.key_id[::-1].hex().upper()

    def to_text(self) -> str:
        raw = self.key.public_bytes(Encoding.Raw, PublicFormat.Raw)
        line = base64.b64encode(b"Ed" + self.key_id + raw).decode()
        return f"{UNTRUSTED}minisign public key {self.key_id_hex}\n{line}\n"

    def one_line(self) -> str:
        return self.to_text().splitlines()[1]


@dataclass(frozen=True)
class SecretKey:
    key_id: bytes
    seed: bytes

    @classmethod
    def generate(cls) -> SecretKey:
        return cls(os.urandom(8), os.urandom(32))

    @property
    def private(self) -> Ed25519PrivateKey:
        return Ed25519PrivateKey.from_private_bytes(self.seed)

    def public(self) -> PublicKey:
        return PublicKey(self.key_id, self.private.public_key())

    @classmethod
    def parse(cls, text: str) -> SecretKey:
        blob = _b64(_key_line(text), "secret key")
        if len(blob) != 158 or blob[:2] != b"Ed" or blob[4:6] != b"B2":
            raise SignatureError(N_("The signing key is not valid."), "not a minisign Ed25519 secret key")
        if blob[2:4] != b"\0\0":
            raise SignatureError(N_("The signing key is not valid."),
                                 "password-protected minisign keys are not supported here: sign with "
                                 "`minisign -S`, or make a key with `pan-kiosk content keygen`")
        key_id, sk, check = blob[54:62], blob[62:126], blob[126:158]
        # minisign 0.11 `-G -W` leaves the checksum zeroed; the public-half check below still holds.
        if check != bytes(32) and hashlib.blake2b(b"Ed" + key_id + sk, digest_size=32).digest() != check:
            raise SignatureError(N_("The signing key is not valid."), "secret key checksum mismatch")
        secret = cls(key_id, sk[:32])
        if secret.public().key.public_bytes(Encoding.Raw, PublicFormat.Raw) != sk[32:]:
            raise SignatureError(N_("The signing key is not valid."), "secret and public halves differ")
        return secret

    def to_text(self) -> str:
        pk = self.private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        sk = self.seed + pk
        check = hashlib.blake2b(b"Ed" + self.key_id + sk, digest_size=32).digest()
        blob = b"Ed" + b"\0\0" + b"B2" + bytes(32) + bytes(8) + bytes(8) + self.key_id + sk + check
        return f"{UNTRUSTED}minisign secret key (unencrypted)\n{base64.b64encode(blob).decode()}\n"


def file_digest(path: Path) -> bytes:
    digest = hashlib.blake2b(digest_size=64)
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.digest()


def sign_file(path: Path, secret: SecretKey, trusted_comment: str,
              untrusted_comment: str = "signature from pan-kiosk content sign") -> str:
    """The text of a minisign signature (prehashed) of the file at `path`."""
    if "\n" in trusted_comment or "\r" in trusted_comment:
        raise ValueError("a trusted comment is one line")
    sig = secret.private.sign(file_digest(path))
    global_sig = secret.private.sign(sig + trusted_comment.encode())
    return (f"{UNTRUSTED}{untrusted_comment}\n"
            f"{base64.b64encode(b'ED' + secret.key_id + sig).decode()}\n"
            f"{TRUSTED}{trusted_comment}\n"
            f"{base64.b64encode(global_sig).decode()}\n")


def verify_file(path: Path, signature_text: str, public: PublicKey) -> str:
    """Check the signature of the file at `path`; return the signed trusted comment."""
    bad = N_("The content update is not signed correctly.")
    lines = signature_text.splitlines()
    if len(lines) < 4 or not lines[0].startswith(UNTRUSTED) or not lines[2].startswith(TRUSTED):
        raise SignatureError(bad, "not a minisign signature file")
    blob = _b64(lines[1], "signature")
    if len(blob) != 74 or blob[:2] not in (b"ED", b"Ed"):
        raise SignatureError(bad, "unknown signature algorithm")
    if blob[2:10] != public.key_id:
        raise SignatureError(N_("The content update was signed with another key."),
                             f"signed by key {blob[2:10][::-1].hex().upper()}, "
                             f"configured key is {public.key_id_hex}")
    sig = blob[10:]
    trusted = lines[2][len(TRUSTED):]
    global_sig = _b64(lines[3], "global signature")
    try:
        if blob[:2] == b"ED":
            public.key.verify(sig, file_digest(path))
        else:
            public.key.verify(sig, path.read_bytes())
        public.key.verify(global_sig, sig + trusted.encode())
    except InvalidSignature:
        raise SignatureError(bad, "signature does not match the file or its trusted comment") from None
    return trusted


__all__ = ["PublicKey", "SecretKey", "SignatureError", "sign_file", "verify_file"]
