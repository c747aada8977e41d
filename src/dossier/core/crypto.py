"""Encryption of sensitive fields at rest and the keyed hash that finds them.

Values are sealed with AES-256-GCM under a key derived from ``DOSSIER_FIELD_KEY``; a
separate derived key gives an HMAC-SHA256 "blind index" so that an exact ID number can
be found without decrypting every row.
"""

import base64
import hashlib
import hmac
import os
from functools import cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

_VERSION = b"\x01"


@cache
def _keys(master: str) -> tuple[bytes, bytes]:
    root = hashlib.sha256(master.encode("utf-8")).digest()
    seal = hmac.new(root, b"dossier-field-seal", hashlib.sha256).digest()
    index = hmac.new(root, b"dossier-field-index", hashlib.sha256).digest()
    return seal, index


@cache
def _cipher(key: bytes) -> AESGCM:
    """One cipher object per key: it holds only the key, and an import seals a
    number per guest."""
    return AESGCM(key)


def _master() -> str:
    return str(settings.DOSSIER_FIELD_KEY)


def seal(plaintext: str) -> str:
    """Encrypt ``plaintext``; the result is ASCII text safe for any database."""
    key, _ = _keys(_master())
    nonce = os.urandom(12)
    data = _cipher(key).encrypt(nonce, plaintext.encode("utf-8"), None)
    return base64.urlsafe_b64encode(_VERSION + nonce + data).decode("ascii")


def unseal(token: str) -> str:
    """Decrypt what :func:`seal` produced; raises ``ValueError`` if it was tampered."""
    key, _ = _keys(_master())
    raw = base64.urlsafe_b64decode(token.encode("ascii"))
    if raw[:1] != _VERSION:
        raise ValueError("unknown sealed-value version")
    try:
        return _cipher(key).decrypt(raw[1:13], raw[13:], None).decode("utf-8")
    except InvalidTag as error:
        raise ValueError("sealed value cannot be opened with this key") from error


def blind_index(value: str) -> str:
    """Keyed hash of ``value`` for exact look-ups, hex encoded."""
    _, key = _keys(_master())
    return hmac.digest(key, value.encode("utf-8"), "sha256").hex()
