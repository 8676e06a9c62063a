"""CloposClient: construction, validation, lifecycle and wiring (DESIGN §1).

The client owns (or borrows) an aiohttp session and wires the pipeline that
every resource call goes through. ``with_options`` gives a view with other
per-call limits that shares the session, limiter, token and stats.
"""

from __future__ import annotations

import copy
import os
import re
import urllib.parse
from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol, TypedDict, TypeVar

import aiohttp
import attrs
import orjson

from clopos_async._auth import TokenStore
from clopos_async._clock import Clock, SystemClock
from clopos_async._config import DEFAULT_BASE_URL, Credentials, RateLimit, RetryPolicy
from clopos_async._errors import ClientValueError
from clopos_async._http import Transport
from clopos_async._pipeline import Call, ClientStats, Pipeline, describe_failure, logger
from clopos_async._ratelimit import MemoryBackend, RateLimiter
from clopos_async._retry import Deadline, RetryRunner, Safety
from clopos_async._tenant import LEASE_MARGIN, TenantScoped, auth_key, tenant_key
from clopos_async._validation import check_positive_int, check_timeout, shown
from clopos_async._version import __version__
from clopos_async.resources import Categories, PriceLists, Products, Receipts, Stations
from clopos_async.resources._mount import mount
from clopos_async.resources._seam import Seam
from clopos_async.resources.basics import PaymentMethods, SaleTypes, Users, Venues
from clopos_async.resources.customer_groups import CustomerGroups
from clopos_async.resources.customers import Customers
from clopos_async.resources.orders import Orders

if TYPE_CHECKING:
    from typing_extensions import Unpack  # typing.Unpack for **kwargs is 3.12+

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


USER_AGENT = f"clopos-async/{__version__}"

#: Methods that may be repeated without changing the outcome (API §12).
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PATCH", "PUT"})

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


class CloposClient:
    """The asyncio client of the Clopos Open API v2.

    Use it as ``async with CloposClient(credentials=...) as clopos:`` or call
    ``await clopos.close()``. A ``session`` passed in is borrowed, never closed.

    Args:
        credentials: client id, secret, brand and integrator id; the client mints and
            renews tokens at ``POST /auth`` itself. Exactly one of ``credentials`` and
            ``token``.
        token: a ready ``x-token``; a 401 is then an ``AuthenticationError``.
        base_url: the API root, ``http://`` or ``https://``.
        venue_id: sent as ``x-venue`` on every request, if given.
        timeout: seconds per attempt.
        retry: attempts, backoff and the whole call's deadline (``RetryPolicy()``).
        rate_limit: the pacing budget (``RateLimit()``: 300 requests/min); ``None`` turns
            pacing off (429s are still handled).
        max_concurrency: requests in flight at most.
        session: an ``aiohttp.ClientSession`` to borrow instead of creating one.
        token_store: where the token is kept and shared between processes (a
            ``TokenStore`` such as ``clopos_async.redis.RedisBackend``); None keeps it
            in this client.
        clock: time source for tests (``time``, ``monotonic``, ``sleep``).

    Attributes:
        receipts: the receipts resource (``Receipts``): ``list``, ``get``, ``get_many``,
            the exactly-once ``close`` and the ``watch`` change feed.
        stations: the stations resource (``Stations``): ``list`` and ``get``.
        orders: ``list``, ``get``, the exactly-once ``create``, ``cancel``, ``watch``.
        customers: ``list``, ``get`` and ``create`` (exactly-once by ``cid``).
        customer_groups: the customer groups resource (``CustomerGroups``): ``list``.
        venues: the venues resource (``Venues``): ``list``.
        sale_types: the sale types resource (``SaleTypes``): ``list``.
        payment_methods: the payment methods resource (``PaymentMethods``): ``list``;
            ``PaymentMethodInfo.pay`` makes a close's payment.
        users: ``list`` and ``get``.
        products: ``list``, ``get`` and ``stop_list``.
        categories: ``list`` and ``get`` (trees; ``Category.walk()``).
        price_lists: ``list`` and ``prices``.

    Raises:
        ClientValueError: an argument is not allowed (named, with what is allowed).
    """

    #: One line per resource; views made by ``with_options`` get their own.
    receipts = mount(Receipts)
    stations = mount(Stations)
    orders = mount(Orders)
    products = mount(Products)
    categories = mount(Categories)
    price_lists = mount(PriceLists)
    venues = mount(Venues)
    users = mount(Users)
    sale_types = mount(SaleTypes)
    payment_methods = mount(PaymentMethods)
    customers = mount(Customers)
    customer_groups = mount(CustomerGroups)

    def __init__(
        self,
        *,
        credentials: Credentials | None = None,
        token: str | None = None,
        base_url: str = DEFAULT_BASE_URL,
        venue_id: int | None = None,
        timeout: float = 30.0,
        retry: RetryPolicy | None = None,
        rate_limit: RateLimit | None = RateLimit(),  # noqa: B008 - frozen, shared safely
        max_concurrency: int = 8,
        session: aiohttp.ClientSession | None = None,
        token_store: TokenStore | None = None,
        clock: Clock | None = None,
    ) -> None:
        _check_auth(credentials, token)
        self._base_url = _check_base_url(base_url)
        self._venue_id = _check_venue(venue_id)
        self._timeout = check_timeout("timeout", timeout)
        self._retry_policy = _check_instance("retry", retry, RetryPolicy) or RetryPolicy()
        self._rate_limit = _check_instance("rate_limit", rate_limit, RateLimit)
        self._max_concurrency = check_positive_int("max_concurrency", max_concurrency)
        self._clock: Clock = _check_clock(clock)
        session = _check_instance("session", session, aiohttp.ClientSession)
        self._credentials = credentials
        self._static_token = token
        self._token_store = _check_token_store(token_store)
        # The shared backend's key for this client's budget and token (DESIGN §7).
        self._tenant = tenant_key(credentials, token)
        self._owned_backend: _Closeable | None = None
        self._stats = ClientStats()
        self._transport = Transport(self._base_url, session=session, clock=self._clock.monotonic)
        self._pipeline = self._build_pipeline()
        self._options: dict[str, Any] = {}
        self._resources: dict[str, Any] = {}

    @classmethod
    def from_env(cls, **overrides: Unpack[ClientOptions]) -> CloposClient:
        """Build a client from the ``CLOPOS_*`` environment (the only place it is read).

        Reads ``CLOPOS_CLIENT_ID``, ``CLOPOS_CLIENT_SECRET``, ``CLOPOS_BRAND`` and
        ``CLOPOS_INTEGRATOR_ID`` (all four) or ``CLOPOS_TOKEN``, plus ``CLOPOS_BASE_URL``
        and ``CLOPOS_VENUE_ID``.
        With ``CLOPOS_REDIS_URL`` set, the budget and the token are shared through a
        ``RedisBackend`` that this client builds and closes (DESIGN §7).

        Args:
            **overrides: constructor arguments that win over the environment.

        Returns:
            A new client.

        Raises:
            ClientValueError: the variables are missing or not allowed (named), or
                ``CLOPOS_REDIS_URL`` is set without redis-py installed.
        """
        settings: dict[str, Any] = {**settings_from_env(os.environ), **overrides}
        url = os.environ.get("CLOPOS_REDIS_URL")
        if not url:
            return cls(**settings)
        backend = _redis_backend(url)
        client = cls(**_with_backend(settings, backend))  # lazy: nothing to close on failure
        client._owned_backend = backend
        return client

    # -- lifecycle -----------------------------------------------------------

    async def __aenter__(self) -> CloposClient:
        self._transport.session()  # fail fast on a closed client; open inside the loop
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def close(self) -> None:
        """Close the session this client created; a borrowed one is left open.

        Views made by ``with_options`` share the session, so closing any closes all.
        A token mint in flight is cancelled first: nothing runs on after close. Calling it
        again does nothing.
        The Redis backend ``from_env`` built is closed too; one passed in is not.
        """
        await self._pipeline.tokens.close()
        await self._transport.close()
        if self._owned_backend is not None:
            await self._owned_backend.aclose()

    @property
    def closed(self) -> bool:
        """Whether ``close()`` has run (a closed client sends nothing more)."""
        return self._transport.closed

    @property
    def stats(self) -> ClientStats:
        """Live counters: requests, retries, 429s, token refreshes, pacing waits.

        The live counters, shared with every view made by ``with_options``: they keep
        counting after you read them. Take ``attrs.evolve(client.stats)`` for a snapshot.

        Returns:
            The ``ClientStats`` this client (and its views) update as they work.
        """
        return self._stats

    def with_options(
        self,
        *,
        timeout: float | None = None,
        deadline: float | None = None,
    ) -> CloposClient:
        """A view of this client with other per-call limits; it shares everything else.

        Args:
            timeout: seconds per attempt for the view's calls.
            deadline: seconds for each whole call of the view, retries included.

        Returns:
            A client sharing this one's session, token, limiter and stats.

        Raises:
            ClientValueError: ``timeout`` or ``deadline`` is not a positive number.
        """
        view = copy.copy(self)
        options = dict(self._options)
        if timeout is not None:
            options["timeout"] = check_timeout("timeout", timeout)
        if deadline is not None:
            options["deadline"] = check_timeout("deadline", deadline)
        view._options = options
        view._resources = {}  # made again, lazily, from the view's seam
        return view

    def __repr__(self) -> str:
        auth = "credentials" if self._credentials is not None else "token"
        brand = f", brand={self._credentials.brand!r}" if self._credentials else ""
        return f"CloposClient(base_url={self._base_url!r}{brand}, auth={auth})"

    # -- calls -----------------------------------------------------------------

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Sequence[tuple[str, str]] = (),
        json: Any = None,
        safe: bool | None = None,
        deadline: float | None = None,
    ) -> dict[str, Any]:
        """Send one API call and return its success envelope (``data`` and friends).

        The escape hatch for endpoints without a resource yet.

        Args:
            method: the HTTP method, e.g. ``"GET"``.
            path: the path below ``base_url``, e.g. ``"/receipts"``.
            params: query parameters, already encoded as pairs.
            json: a body to send as JSON.
            safe: whether the call may be repeated after an ambiguous failure; by
                default GET/PATCH/PUT are safe and POST is not.
            deadline: seconds for the whole call, instead of the retry policy's.

        Returns:
            The success envelope (``data`` and its siblings).

        Raises:
            ClientValueError: ``json`` is not JSON-encodable; nothing was sent.
            APIError: the API answered with an error (a typed subclass per status).
            TransportError: no usable response arrived (connection, timeout).
            DecodeError: the body was not JSON or not an envelope.
        """
        return await self._send(
            method, path, params=params, json=json, safe=safe, deadline=deadline
        )

    async def _send(
        self,
        method: str,
        path: str,
        *,
        params: Sequence[tuple[str, str]] = (),
        json: Any = None,
        safe: bool | None = None,
        deadline: float | None = None,
        shared_deadline: Deadline | None = None,
    ) -> dict[str, Any]:
        """``request``, plus a Deadline shared by the calls of one operation (the seam's send)."""
        method = method.upper()
        if safe is None:
            safe = method in SAFE_METHODS
        call = Call(
            method=method,
            path=path if path.startswith("/") else f"/{path}",
            params=tuple(params),
            body=None if json is None else _json_body(json),
            safety=Safety.SAFE if safe else Safety.UNSAFE,
            timeout=self._options.get("timeout"),
            deadline=self._options.get("deadline") if deadline is None else deadline,
            shared_deadline=shared_deadline,
        )
        return await self._pipeline.send(call)

    async def authenticate(self) -> None:
        """Make sure a valid token is held, minting one now if needed.

        Calls do this on their own; call it to fail fast at start-up on bad
        credentials. With a static ``token=`` it does nothing.

        Raises:
            AuthenticationError: the credentials were refused.
            APIError: ``POST /auth`` got another error answer (after the retries).
            TransportError: ``POST /auth`` could not be reached.
            DecodeError: the ``/auth`` answer held no usable token.
        """
        await self._pipeline.tokens.get()

    def _seam(self) -> Seam:
        """What this client's (or view's) resources may use of it (resources/_seam.py)."""
        return Seam(
            send=self._send,
            authenticate=self.authenticate,
            monotonic=self._clock.monotonic,
            sleep=self._clock.sleep,
            # The deadline a call of this client (or view) gets: its option, else the policy's.
            deadline=float(self._options.get("deadline", self._retry_policy.deadline)),
            max_attempts=self._retry_policy.max_attempts,
            max_concurrency=self._max_concurrency,
        )

    def _build_pipeline(self) -> Pipeline:
        return Pipeline(
            transport=self._transport,
            credentials=self._credentials,
            token=self._static_token,
            headers=self._default_headers(),
            timeout=self._timeout,
            retry=RetryRunner(
                self._retry_policy,
                clock=self._clock.monotonic,
                sleep=self._clock.sleep,
                on_retry=self._log_retry,
            ),
            limiter=self._build_limiter(),
            max_concurrency=self._max_concurrency,
            clock=self._clock,
            stats=self._stats,
            token_store=self._token_store,
            tenant=self._tenant,
        )

    def _build_limiter(self) -> RateLimiter | None:
        if self._rate_limit is None:
            return None
        backend = self._rate_limit.backend or MemoryBackend(self._clock.monotonic)
        if isinstance(backend, TenantScoped):
            backend = backend.for_client(
                tenant=self._tenant,
                auth=auth_key(self._credentials, self._tenant),
                lease=self._timeout + LEASE_MARGIN,
            )
        return RateLimiter(
            requests=self._rate_limit.requests,
            window=self._rate_limit.window,
            auth_requests=self._rate_limit.auth_requests,
            backend=backend,
            sleep=self._clock.sleep,
            clock=self._clock.monotonic,
        )

    def _default_headers(self) -> dict[str, str]:
        headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
        if self._venue_id is not None:
            headers["x-venue"] = str(self._venue_id)  # API §4: per-request venue override
        return headers

    def _log_retry(self, exc: BaseException, attempt: int, wait: float) -> None:
        self._stats.retries += 1
        logger.warning(
            "retrying in %.2fs after %s (attempt %d of %d): %s",
            wait,
            describe_failure(exc),
            attempt,
            self._retry_policy.max_attempts,
            exc,
        )


def _check_auth(credentials: object, token: object) -> None:
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


class _Closeable(Protocol):
    async def aclose(self) -> None: ...


def _redis_backend(url: str) -> Any:
    """The ``RedisBackend`` for ``CLOPOS_REDIS_URL`` (imported here: redis is an extra)."""
    try:
        from clopos_async.redis import RedisBackend
    except ImportError:
        raise ClientValueError(
            "CLOPOS_REDIS_URL is set but redis-py is not installed: "
            "pip install 'clopos-async[redis]'"
        ) from None
    return RedisBackend.from_url(url)


def _with_backend(settings: dict[str, Any], backend: Any) -> dict[str, Any]:
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


def _check_token_store(store: object) -> TokenStore | None:
    if store is None or isinstance(store, TokenStore):
        return store
    raise ClientValueError(
        f"token_store={type(store).__name__} is not allowed: a TokenStore "
        "(such as clopos_async.redis.RedisBackend) or None is required"
    )


def _check_instance(name: str, value: object, kind: type[T]) -> T | None:
    if value is None or isinstance(value, kind):
        return value
    raise ClientValueError(
        f"{name}={shown(value)} is not allowed: a {kind.__name__} or None is required"
    )


def _json_body(value: object) -> bytes:
    """``json=`` as bytes; what orjson cannot encode (an int past 64 bits) is bad input."""
    try:
        return orjson.dumps(value)
    except orjson.JSONEncodeError as exc:
        raise ClientValueError(
            f"json={shown(value)} is not allowed: a JSON-encodable value is required ({exc})"
        ) from None


def _check_clock(clock: object) -> Clock:
    if clock is None:
        return SystemClock()
    missing = [name for name in _CLOCK_METHODS if not callable(getattr(clock, name, None))]
    if missing:
        raise ClientValueError(
            f"clock={type(clock).__name__} object is not allowed: a Clock (with time(), "
            f"monotonic() and async sleep()) or None is required; missing {missing}"
        )
    return clock  # type: ignore[return-value]  # duck-typed: Clock is a Protocol


def _check_base_url(base_url: object) -> str:
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


def _check_venue(venue_id: object) -> int | None:
    if venue_id is None:
        return None
    return check_positive_int("venue_id", venue_id)


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
