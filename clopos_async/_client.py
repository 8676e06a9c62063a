"""CloposClient: construction, lifecycle, calls and views (DESIGN §1).

The client owns (or borrows) an aiohttp session and the pipeline that every
resource call goes through; its arguments are checked in ``_settings`` and the
pipeline is put together in ``_wiring``. ``with_options`` gives a view with other
per-call limits that shares the session, limiter, token and stats.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol

import aiohttp
import orjson

from clopos_async._auth import TokenStore
from clopos_async._clock import Clock
from clopos_async._config import DEFAULT_BASE_URL, Credentials, RateLimit, RetryPolicy
from clopos_async._errors import ClientValueError
from clopos_async._http import Transport
from clopos_async._pipeline import Call, Pipeline
from clopos_async._retry import Deadline, Safety
from clopos_async._settings import (
    ClientOptions,
    check_auth,
    check_base_url,
    check_clock,
    check_instance,
    check_token_store,
    check_venue,
    redis_backend,
    settings_from_env,
    with_backend,
)
from clopos_async._stats import ClientStats
from clopos_async._tenant import tenant_key
from clopos_async._validation import check_positive_int, check_timeout, shown
from clopos_async._wiring import build_pipeline
from clopos_async.resources import Categories, PriceLists, Products, Receipts, Stations
from clopos_async.resources._mount import mount
from clopos_async.resources._seam import Seam
from clopos_async.resources.basics import PaymentMethods, SaleTypes, Users, Venues
from clopos_async.resources.customer_groups import CustomerGroups
from clopos_async.resources.customers import Customers
from clopos_async.resources.orders import Orders

if TYPE_CHECKING:
    from typing_extensions import Unpack  # typing.Unpack for **kwargs is 3.12+


#: Methods that may be repeated without changing the outcome (API §12).
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PATCH", "PUT"})


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
        check_auth(credentials, token)
        self._base_url = check_base_url(base_url)
        self._venue_id = check_venue(venue_id)
        self._timeout = check_timeout("timeout", timeout)
        self._retry_policy = check_instance("retry", retry, RetryPolicy) or RetryPolicy()
        self._rate_limit = check_instance("rate_limit", rate_limit, RateLimit)
        self._max_concurrency = check_positive_int("max_concurrency", max_concurrency)
        self._clock: Clock = check_clock(clock)
        session = check_instance("session", session, aiohttp.ClientSession)
        self._credentials = credentials
        self._static_token = token
        self._token_store = check_token_store(token_store)
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
        backend = redis_backend(url)
        client = cls(**with_backend(settings, backend))  # lazy: nothing to close on failure
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
        return build_pipeline(
            transport=self._transport,
            credentials=self._credentials,
            token=self._static_token,
            venue_id=self._venue_id,
            timeout=self._timeout,
            retry_policy=self._retry_policy,
            rate_limit=self._rate_limit,
            max_concurrency=self._max_concurrency,
            clock=self._clock,
            stats=self._stats,
            token_store=self._token_store,
            tenant=self._tenant,
        )


class _Closeable(Protocol):
    async def aclose(self) -> None: ...


def _json_body(value: object) -> bytes:
    """``json=`` as bytes; what orjson cannot encode (an int past 64 bits) is bad input."""
    try:
        return orjson.dumps(value)
    except orjson.JSONEncodeError as exc:
        raise ClientValueError(
            f"json={shown(value)} is not allowed: a JSON-encodable value is required ({exc})"
        ) from None
