"""The constructor's argument checks and the ``CLOPOS_*`` environment (DESIGN §1, §2).

``CloposClient`` calls these before it builds anything, so a bad argument is a
``ClientValueError`` naming it and nothing is sent; ``from_env`` reads the
environment only through ``settings_from_env``.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Mapping
from typing import Any, TypedDict, TypeVar

import aiohttp
import attrs

from clopos_async._auth import TokenStore
from clopos_async._clock import Clock, SystemClock
from clopos_async._config import Credentials, RateLimit, RetryPolicy
from clopos_async._errors import ClientValueError
from clopos_async._validation import check_positive_int, shown

T = TypeVar("T")


class ClientOptions(TypedDict, total=False):
    """The keyword arguments of ``CloposClient``, for ``from_env(**overrides)``."""

    credentials: Credentials | None
    token: str | None
    base_url: str
    venue_id: int | None
    timeout: float
    retry: RetryPolicy | None
    rate_limit: RateLimit | None
    max_concurrency: int
    session: aiohttp.ClientSession | None
    token_store: TokenStore | None
    clock: Clock | None


#: What an ``x-token`` header value may hold: visible ASCII, no spaces or control characters
#: (a CR/LF would split the header; aiohttp refuses it only at request time).
_TOKEN_CHARS = re.compile(r"[\x21-\x7e]+")
#: What a clock= must have (clopos_async._clock.Clock).
_CLOCK_METHODS = ("time", "monotonic", "sleep")

ENV_CREDENTIALS = (
    "CLOPOS_CLIENT_ID",
    "CLOPOS_CLIENT_SECRET",
    "CLOPOS_BRAND",
    "CLOPOS_INTEGRATOR_ID",
)


def check_auth(credentials: object, token: object) -> None:
    if (credentials is None) == (token is None):
        raise ClientValueError(
            "exactly one of credentials= or token= is required "
            f"(got credentials={'set' if credentials is not None else None}, "
            f"token={'set' if token is not None else None})"
        )
    if credentials is not None and not isinstance(credentials, Credentials):
        raise ClientValueError(
            f"credentials={type(credentials).__name__} is not allowed: a Credentials is required"
        )
    if token is not None and (not isinstance(token, str) or not _TOKEN_CHARS.fullmatch(token)):
        # Never the value: it is a secret, even when malformed.
        raise ClientValueError(
            "token=*** is not allowed: a non-empty string of visible ASCII characters "
            "(no spaces, CR or LF) is required"
        )


def check_base_url(base_url: object) -> str:
    """An http(s) URL with a host and no query, fragment, credentials or whitespace.

    Paths are appended to it as text: ``https://h/v2?x=1`` would send ``POST /auth``,
    with the client secret, to ``/v2?x=1/auth``.
    """
    allowed = (
        "an http:// or https:// URL with a host and no query (?), fragment (#), "
        "user info (@) or whitespace is required"
    )
    if not isinstance(base_url, str) or not base_url.startswith(("http://", "https://")):
        raise ClientValueError(f"base_url={shown(base_url)} is not allowed: {allowed}")
    try:
        parts = urllib.parse.urlsplit(base_url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError:  # a malformed port or IPv6 literal
        host = None
    if not host or any(c in base_url for c in "?#@") or re.search(r"[\s\x00-\x1f\x7f]", base_url):
        raise ClientValueError(f"base_url={shown(base_url)} is not allowed: {allowed}")
    return base_url.rstrip("/")


def check_venue(venue_id: object) -> int | None:
    if venue_id is None:
        return None
    return check_positive_int("venue_id", venue_id)


def check_instance(name: str, value: object, kind: type[T]) -> T | None:
    if value is None or isinstance(value, kind):
        return value
    raise ClientValueError(
        f"{name}={shown(value)} is not allowed: a {kind.__name__} or None is required"
    )


def check_clock(clock: object) -> Clock:
    if clock is None:
        return SystemClock()
    missing = [name for name in _CLOCK_METHODS if not callable(getattr(clock, name, None))]
    if missing:
        raise ClientValueError(
            f"clock={type(clock).__name__} object is not allowed: a Clock (with time(), "
            f"monotonic() and async sleep()) or None is required; missing {missing}"
        )
    return clock  # type: ignore[return-value]  # duck-typed: Clock is a Protocol


def check_token_store(store: object) -> TokenStore | None:
    if store is None or isinstance(store, TokenStore):
        return store
    raise ClientValueError(
        f"token_store={type(store).__name__} is not allowed: a TokenStore "
        "(such as clopos_async.redis.RedisBackend) or None is required"
    )


def settings_from_env(environ: Mapping[str, str]) -> dict[str, Any]:
    """Constructor arguments from ``CLOPOS_*`` variables (DESIGN §2: credentials first)."""
    settings: dict[str, Any] = {}
    values = [environ.get(name, "") for name in ENV_CREDENTIALS]
    if all(values):
        client_id, client_secret, brand, integrator_id = values
        settings["credentials"] = Credentials(
            client_id=client_id,
            client_secret=client_secret,
            brand=brand,
            integrator_id=integrator_id,
        )
    elif environ.get("CLOPOS_TOKEN"):
        settings["token"] = environ["CLOPOS_TOKEN"]
    else:
        missing = ", ".join(n for n, v in zip(ENV_CREDENTIALS, values, strict=True) if not v)
        raise ClientValueError(
            f"set all of {', '.join(ENV_CREDENTIALS)}, or CLOPOS_TOKEN "
            f"(missing: {missing}; CLOPOS_TOKEN is not set either)"
        )
    if environ.get("CLOPOS_BASE_URL"):
        settings["base_url"] = environ["CLOPOS_BASE_URL"]
    if environ.get("CLOPOS_VENUE_ID"):
        settings["venue_id"] = _venue_from_env(environ["CLOPOS_VENUE_ID"])
    return settings


def _venue_from_env(raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise ClientValueError(
            f"CLOPOS_VENUE_ID={raw!r} is not allowed: a positive integer is required"
        ) from None


def redis_backend(url: str) -> Any:
    """The ``RedisBackend`` for ``CLOPOS_REDIS_URL`` (imported here: redis is an extra)."""
    try:
        from clopos_async.redis import RedisBackend
    except ImportError:
        raise ClientValueError(
            "CLOPOS_REDIS_URL is set but redis-py is not installed: "
            "pip install 'clopos-async[redis]'"
        ) from None
    return RedisBackend.from_url(url)


def with_backend(settings: dict[str, Any], backend: Any) -> dict[str, Any]:
    """``settings`` with ``backend`` as the budget's backend and the token store.

    An explicit ``rate_limit=None`` (pacing off) or a backend or store of the
    caller's own is kept.
    """
    rate_limit = settings.get("rate_limit", RateLimit())
    if isinstance(rate_limit, RateLimit) and rate_limit.backend is None:
        settings = {**settings, "rate_limit": attrs.evolve(rate_limit, backend=backend)}
    if settings.get("token_store") is None:
        settings = {**settings, "token_store": backend}
    return settings
