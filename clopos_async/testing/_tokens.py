"""Token issuing and checking for the sandbox (API §3, §4, §6.3).

One job: mint HS256 JWTs for valid credentials and tell, for an ``x-token``
value, whether it is missing, invalid, expired, or good (and whose it is).
"""

from __future__ import annotations

import hmac
import secrets
import time
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

import attrs

from clopos_async._config import Credentials
from clopos_async.testing import _jwt
from clopos_async.testing._wire import Rejected

AUTH_FIELDS = ("client_id", "client_secret", "brand", "integrator_id")


@attrs.frozen(kw_only=True, slots=True)
class Claims:
    """The verified claims of a token (API §3.2)."""

    token: str
    brand: str
    integrator_id: str
    venue_id: int
    exp: int

    @property
    def tenant(self) -> str:
        """The per-tenant rate-limit key ``integrator_id:brand`` (API §7, tier 3)."""
        return f"{self.integrator_id}:{self.brand}"


@attrs.frozen(kw_only=True, slots=True)
class Issued:
    jwt: str
    expires_at: int


def _unauthorized(message: str, **extra: Any) -> Rejected:
    # API §9.3/§9.12 name the slug `unauthorized`; the Errors page's sentences are messages.
    return Rejected(401, "unauthorized", message, **extra)


class TokenIssuer:
    """Mints tokens for one set of credentials and remembers when each expires."""

    def __init__(
        self,
        *,
        credentials: Credentials,
        ttl: int,
        venue_id: int = 1,
        stage: str = "sandbox",
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.credentials = credentials
        self.ttl = ttl
        self.venue_id = venue_id
        self.stage = stage
        self._clock = clock
        self._secret = secrets.token_bytes(32)
        self._expiry: dict[str, float] = {}  # inner oauth_ token -> exact expiry (epoch s)
        self._issued: list[str] = []
        #: Quote the refused secret or token in 401 messages (SandboxServer.echo_secrets).
        self.echo = False

    def check_credentials(self, body: dict[str, Any]) -> None:
        """Raise the documented 400/401 unless ``body`` holds our four strings (API §3.4)."""
        missing = [f for f in AUTH_FIELDS if not isinstance(body.get(f), str) or not body[f]]
        if missing:
            raise Rejected(400, "invalid_parameter", f"Missing {', '.join(missing)}")
        expected = self.credentials
        if body["integrator_id"] != expected.integrator_id:
            raise Rejected(400, "invalid_parameter", "Invalid integrator_id")
        secret_ok = hmac.compare_digest(
            body["client_secret"].encode(), expected.client_secret.encode()
        )
        if not (secret_ok and body["client_id"] == expected.client_id):
            quoted = f" ({body['client_secret']})" if self.echo else ""
            raise Rejected(401, "authentication_failed", f"Invalid client credentials{quoted}")
        if body["brand"] != expected.brand:
            raise Rejected(401, "authentication_failed", "Invalid brand for these credentials")

    def issue(self) -> Issued:
        """A new token valid for ``ttl`` seconds; ``expires_at`` is rounded down."""
        now = self._clock()
        inner = f"oauth_{secrets.token_hex(20)}"
        expires_at = int(now + self.ttl)
        self._expiry[inner] = now + self.ttl
        claims = {
            "token": inner,
            "brand": self.credentials.brand,
            "stage": self.stage,
            "venue_id": self.venue_id,
            "integrator_id": self.credentials.integrator_id,
            "iat": int(now),
            "exp": expires_at,
        }
        jwt = _jwt.encode(claims, self._secret)
        self._issued.append(jwt)
        return Issued(jwt=jwt, expires_at=expires_at)

    def issued(self) -> list[str]:
        """The JWTs issued so far, oldest first."""
        return list(self._issued)

    def verify(self, raw: str | None) -> Claims:
        """The claims of an ``x-token`` value, or the 401 it earns (API §4, §6.3)."""
        if not raw:
            raise _unauthorized("Missing authentication headers")
        try:
            claims = _jwt.decode(raw, self._secret)
        except _jwt.InvalidTokenError:
            raise _unauthorized(f"Invalid token {raw}" if self.echo else "Invalid token") from None
        expiry = self._expiry.get(str(claims.get("token")))
        if expiry is None:
            raise _unauthorized("Invalid token")
        if self._clock() >= expiry:
            # API §6.3 [3p]: the expired body carries expires_at as an ISO-8601 string.
            expired = datetime.fromtimestamp(int(expiry), timezone.utc)
            raise _unauthorized("Token expired", expires_at=expired.isoformat())
        return Claims(
            token=claims["token"],
            brand=claims["brand"],
            integrator_id=claims["integrator_id"],
            venue_id=claims["venue_id"],
            exp=claims["exp"],
        )

    def expire_all(self) -> None:
        """Every token issued so far is expired from now on."""
        now = self._clock()
        for inner in self._expiry:
            self._expiry[inner] = min(self._expiry[inner], now)
