"""``SandboxServer``: an in-process Clopos Open API v2 simulator on aiohttp.web (DESIGN §4).

One job: build the simulated API, run it on a loopback port and expose the state and
hooks tests assert on. How one request is answered is in ``_serving.py``.
"""

from __future__ import annotations

import fnmatch
import hashlib
import time
from collections.abc import Callable
from datetime import date
from types import TracebackType
from typing import TYPE_CHECKING, Any

import yarl
from aiohttp import web

from clopos_async._config import Credentials
from clopos_async.testing._arguments import (
    check,
    check_arguments,
    check_tiers,
    is_seconds,
)
from clopos_async.testing._basics import basic_collections
from clopos_async.testing._catalog import stations
from clopos_async.testing._collections import Collection, Routed
from clopos_async.testing._customers import customer_collections
from clopos_async.testing._edge import (
    API_ROOT,
)
from clopos_async.testing._faults import Fault, FaultOptions, FaultPlan
from clopos_async.testing._gateway import Gateway
from clopos_async.testing._handlers import ReceiptsEndpoints
from clopos_async.testing._limits import RateTier
from clopos_async.testing._log import CloseRecord, LoggedRequest, StateChange, closes_in
from clopos_async.testing._menu import menu_collections
from clopos_async.testing._orders import OrdersEndpoints
from clopos_async.testing._pos import SandboxData
from clopos_async.testing._serving import Hook, Pipeline
from clopos_async.testing._stock import StockOperationsRoute
from clopos_async.testing._store import ReceiptStore
from clopos_async.testing._tokens import TokenIssuer

if TYPE_CHECKING:
    from typing_extensions import Unpack  # typing.Unpack for **kwargs is 3.12+

    from clopos_async._client import CloposClient

DEFAULT_START = date(2025, 8, 1)
DEFAULT_AUTH_LIMIT = RateTier(60)  # API §7 tier 1: 60 /auth requests a minute per IP
DEFAULT_FLOOD_LIMIT = RateTier(600)  # tier 2: 600 failed requests a minute per IP
DEFAULT_TENANT_LIMIT = RateTier(300)  # tier 3: 300 requests a minute per integrator:brand
_SHUTDOWN_TIMEOUT = 0.5  # seconds stop() waits for handlers still sleeping on faults
_MAX_BODY = 8 * 1024 * 1024


def _sandbox_credentials(seed: int) -> Credentials:
    secret = hashlib.sha256(f"clopos-sandbox:{seed}".encode()).hexdigest()[:40]
    return Credentials(
        client_id=f"sandbox-client-{seed}",
        client_secret=secret,
        brand="sandbox",
        integrator_id="test_sandbox",  # API §3.2: test integrators' ids start with test_
    )


def _collections(changes: list[StateChange]) -> dict[str, Collection]:
    """The small resources, by name; customer creates are logged in ``changes``."""
    collections = {"stations": stations(), **basic_collections()}  # from the facts
    collections.update(menu_collections())
    collections.update(customer_collections(changes))
    return collections


class SandboxServer(SandboxData):
    """A running simulation of the Clopos Open API v2 on ``host:port``.

    ``async with SandboxServer(receipts=500) as sandbox:`` starts it; point a client
    at ``sandbox.base_url`` with ``sandbox.credentials`` (or use ``sandbox.client()``).

    Only paths under ``/open-api/v2`` are served: any other path gets 404
    ``not_found``, so a client with a wrong ``base_url`` fails. Tests read ``log``,
    ``changes`` (``closes`` and ``changes_to()`` are views of it), ``max_in_flight``
    and ``issued_tokens``.

    Args:
        receipts: How many receipts to seed: ids 1..N ascending with ``created_at``.
        seed: The random seed of the data (and of the credentials).
        start: The first day receipts are created on.
        days: Over how many days from ``start`` they spread (08:00-22:00).
        token_ttl: Seconds a token issued by ``POST /auth`` lives.
        latency: Seconds every answer is delayed by (settable later as ``latency``).
        auth_limit: Tier 1 (``/auth`` per client IP, API §7), or None for no limit.
        flood_limit: Tier 2 (failed requests per client IP), or None.
        tenant_limit: Tier 3 (requests per integrator and brand), or None.
        open_ratio: The share of seeded receipts left open (0 to 1).
        host: The address to listen on.
        port: The port to listen on; 0 picks a free one.
        clock: The monotonic clock of the rate windows and of ``log``'s times (inject
            a test clock, with the client's, to simulate minutes of pacing instantly).

    Attributes:
        host: The address it listens on.
        port: The port asked for (``base_url`` has the one picked).
        credentials: The ``Credentials`` its ``POST /auth`` accepts.
        faults: The ``FaultPlan`` that ``fault()`` adds to.
        changes: Every write applied, in order (``StateChange``).
        orders: The orders store (``ids()``, ``row()``, ``create_shape``).
        stock: The ``GET /receipts/{id}/stock-operations`` route (``operations()``).

    Raises:
        ClientValueError: An argument is not allowed (named with its value).
    """

    def __init__(
        self,
        *,
        receipts: int = 200,
        seed: int = 0,
        start: date = DEFAULT_START,
        days: int = 31,
        token_ttl: int = 3600,
        latency: float = 0.0,
        auth_limit: RateTier | None = DEFAULT_AUTH_LIMIT,
        flood_limit: RateTier | None = DEFAULT_FLOOD_LIMIT,
        tenant_limit: RateTier | None = DEFAULT_TENANT_LIMIT,
        open_ratio: float = 0.1,
        host: str = "127.0.0.1",
        port: int = 0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        check_arguments(receipts, seed, days, token_ttl, latency, open_ratio, port)
        check_tiers(auth_limit=auth_limit, flood_limit=flood_limit, tenant_limit=tenant_limit)
        self.host = host
        self.port = port
        self.credentials = _sandbox_credentials(seed)
        self.faults = FaultPlan()
        self._changes: list[StateChange] = []  # every write applied, in order
        self._store = ReceiptStore.generate(
            receipts=receipts, seed=seed, start=start, days=days, open_ratio=open_ratio
        )
        self._issuer = TokenIssuer(credentials=self.credentials, ttl=token_ttl)
        self._collections = _collections(self._changes)
        self.orders = OrdersEndpoints(self._store, self._changes)  # .accept(), .create_shape
        self.stock = StockOperationsRoute(self._store)
        self._pipeline = Pipeline(
            self._gateway((auth_limit, flood_limit, tenant_limit), clock),
            self.faults,
            expire_tokens=self.expire_tokens,
            tenant_requests=(tenant_limit or DEFAULT_TENANT_LIMIT).requests,
            latency=latency,
            clock=clock,
        )
        self._runner: web.AppRunner | None = None
        self._base_url: str | None = None

    def _gateway(self, tiers: tuple[RateTier | None, ...], clock: Callable[[], float]) -> Gateway:
        """The gateway in front of every route: tokens and the three tiers (API §7)."""
        receipts_api = ReceiptsEndpoints(self._store, self._changes)
        routes: list[Routed] = [*self._collections.values(), self.orders, self.stock]
        auth, flood, tenant = tiers
        return Gateway(self._issuer, receipts_api, auth, flood, tenant, collections=routes,
                       clock=clock)  # fmt: skip

    # --- lifecycle ---------------------------------------------------------------------

    async def __aenter__(self) -> SandboxServer:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()

    async def start(self) -> None:
        """Listen on ``host:port`` (port 0 picks a free one). Starting twice is a no-op.

        Raises:
            OSError: The address cannot be bound.
        """
        if self._runner is not None:
            return
        app = web.Application(client_max_size=_MAX_BODY)
        app.router.add_route("*", "/{tail:.*}", self._pipeline.serve)
        runner = web.AppRunner(
            app, access_log=None, handle_signals=False, shutdown_timeout=_SHUTDOWN_TIMEOUT
        )
        await runner.setup()
        try:
            await web.TCPSite(runner, self.host, self.port).start()
        except BaseException:
            await runner.cleanup()
            raise
        host, port = runner.addresses[0][:2]
        self._runner = runner
        self._base_url = str(yarl.URL.build(scheme="http", host=host, port=port, path=API_ROOT))

    async def stop(self) -> None:
        """Stop listening; handlers still sleeping on faults are cancelled."""
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    @property
    def base_url(self) -> str:
        """``http://host:port/open-api/v2``; only while the server runs.

        Raises:
            RuntimeError: The server is not running.
        """
        if self._base_url is None or self._runner is None:
            raise RuntimeError("the SandboxServer is not running: use `async with` or start()")
        return self._base_url

    def client(self, **kwargs: Any) -> CloposClient:
        """A ``CloposClient`` for this sandbox (``base_url`` and ``credentials`` set).

        Args:
            **kwargs: Other ``CloposClient`` arguments (``retry=``, ``clock=``...); they
                win over the two set here.

        Returns:
            A new client; close it (``async with``) when done.

        Raises:
            RuntimeError: The server is not running.
            ClientValueError: A keyword argument is not allowed.
        """
        # Imported here: the client package imports this one's siblings at import time.
        from clopos_async._client import CloposClient

        options: dict[str, Any] = {"credentials": self.credentials, "base_url": self.base_url}
        options.update(kwargs)
        return CloposClient(**options)

    # --- what tests read -------------------------------------------------------------

    @property
    def log(self) -> list[LoggedRequest]:
        """Every request received, in order of arrival (status 0 until answered)."""
        return self._pipeline.log

    @property
    def max_in_flight(self) -> int:
        """The most requests handled at once since start (or ``reset_stats``)."""
        return self._pipeline.max_in_flight

    @property
    def latency(self) -> float:
        """Seconds every answer is delayed by; settable at any time."""
        return self._pipeline.latency

    @latency.setter
    def latency(self, seconds: float) -> None:
        check("latency", seconds, is_seconds(seconds), "a number of seconds >= 0")
        self._pipeline.latency = seconds

    # --- fault plan --------------------------------------------------------------------

    def fault(self, path: str, **options: Unpack[FaultOptions]) -> Fault:
        """Script a misbehaviour of the requests matching ``path``; see ``Fault`` for how.

        ``sandbox.fault("/receipts/*/close", method="POST", attempts=[1], reset="after")``
        drops the connection after the first close was applied.

        Args:
            path: An fnmatch pattern on the path under the API root.
            **options: The other fields of ``Fault``: ``method``, ``attempts``,
                ``status``, ``error``, ``message``, ``headers``, ``delay``, ``reset``,
                ``malformed``, ``success_false``, ``expire_token``, ``text``, ``apply``.

        Returns:
            The registered ``Fault``; its ``hits`` count the requests it fired on.

        Raises:
            ClientValueError: An option is not allowed, or more than one outcome is given.
        """
        return self.faults.add(Fault(path=path, **options))

    # --- state and hooks ---------------------------------------------------------------

    def on_request(self, *, before: Hook | None = None, after: Hook | None = None) -> None:
        """Run test hooks around each request under the API root.

        Hooks get ``(method, path, query)`` with ``path`` relative to the API root, so a
        test can delay page 2 (an async ``before`` that sleeps) or add receipts right
        after page 3 was served (an ``after`` calling ``add_receipts``).

        Args:
            before: Runs ahead of handling the request (may be a coroutine function).
            after: Runs once its answer is built; the data changes it makes are seen
                by later requests only.
        """
        for when, hook in (("before", before), ("after", after)):
            if hook is not None:
                self._pipeline.hooks[when].append(hook)

    @property
    def echo_secrets(self) -> bool:
        """When True, 401s quote what was sent; settable.

        That is the ``client_secret`` of a refused ``/auth`` and the ``x-token`` of a
        refused request (some real gateways do; issue 9 item 8).
        """
        return self._issuer.echo

    @echo_secrets.setter
    def echo_secrets(self, value: bool) -> None:
        self._issuer.echo = bool(value)

    @property
    def issued_tokens(self) -> list[str]:
        """Every token ``POST /auth`` has issued, oldest first (to assert none leaks)."""
        return self._issuer.issued()

    def expire_tokens(self) -> None:
        """Every token issued so far is expired: its next use gets 401 ``Token expired``."""
        self._issuer.expire_all()

    def requests(self, method: str | None = None, path: str | None = None) -> list[LoggedRequest]:
        """The logged requests with ``method`` and a path matching ``path``, in order.

        Args:
            method: An HTTP method (any case); None: any.
            path: An fnmatch pattern on the path under the API root; None: any.

        Returns:
            The matching ``log`` entries.
        """
        wanted = None if method is None else method.upper()
        return [
            entry
            for entry in self._pipeline.log
            if (wanted is None or entry.method == wanted)
            and (path is None or fnmatch.fnmatchcase(entry.path, path))
        ]

    @property
    def changes(self) -> list[StateChange]:
        """Every write applied, in order: the one log the writers append to (read-only)."""
        return self._changes

    @property
    def closes(self) -> list[CloseRecord]:
        """Every close applied by ``POST /receipts/{id}/close``, in order (from ``changes``)."""
        return closes_in(self.changes)

    def changes_to(self, resource: str, action: str | None = None) -> list[StateChange]:
        """The ``changes`` to one resource, in order: ``changes_to("orders", "create")``.

        Args:
            resource: ``"receipts"``, ``"customers"`` or ``"orders"``.
            action: Only changes with this action (``"close"``, ``"create"``...); None: all.

        Returns:
            The matching ``StateChange`` entries.
        """
        return [
            change
            for change in self.changes
            if change.resource == resource and (action is None or change.action == action)
        ]

    def reset_stats(self) -> None:
        """Clear ``log``, ``changes``, ``max_in_flight`` and fault hit counts (not data)."""
        self._pipeline.log.clear()
        self.changes.clear()
        self._pipeline.max_in_flight = self._pipeline.in_flight
        self.faults.reset_hits()
