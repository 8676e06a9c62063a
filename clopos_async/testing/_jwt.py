"""HS256 JSON Web Tokens with the standard library only (API §3.2).

One job: sign claims into a compact JWT and verify one back into its claims.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections.abc import Mapping
from typing import Any

import orjson

_HEADER = {"alg": "HS256", "typ": "JWT"}


class InvalidTokenError(Exception):
    """The value is not a JWT this sandbox signed."""


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    padded = text + "=" * (-len(text) % 4)
    return base64.b64decode(padded, altchars=b"-_", validate=True)


def _sign(signing_input: str, secret: bytes) -> str:
    digest = hmac.new(secret, signing_input.encode("ascii"), hashlib.sha256).digest()
    return _b64encode(digest)


def encode(claims: Mapping[str, Any], secret: bytes) -> str:
    """The compact JWT ``header.payload.signature`` for ``claims``."""
    signing_input = f"{_b64encode(orjson.dumps(_HEADER))}.{_b64encode(orjson.dumps(claims))}"
    return f"{signing_input}.{_sign(signing_input, secret)}"


def decode(token: str, secret: bytes) -> dict[str, Any]:
    """The claims of ``token``; :class:`InvalidTokenError` unless we signed it."""
    parts = token.split(".")
    if len(parts) != 3 or not token.isascii():
        raise InvalidTokenError("not a compact JWT")
    header, payload, signature = parts
    # Check the signature before parsing anything an attacker wrote.
    if not hmac.compare_digest(signature, _sign(f"{header}.{payload}", secret)):
        raise InvalidTokenError("bad signature")
    try:
        claims = orjson.loads(_b64decode(payload))
    except (binascii.Error, orjson.JSONDecodeError) as exc:
        raise InvalidTokenError("unreadable payload") from exc
    if not isinstance(claims, dict):
        raise InvalidTokenError("payload is not an object")
    return claims
