"""``SandboxServer``: an in-process Clopos Open API v2 simulator on aiohttp.web (DESIGN §4).

One job: build the simulated API, run it on a loopback port and expose the state and
hooks tests assert on. How one request is answered is in ``_serving.py``.
"""

from __future__ import annotations

import fnmatch
import hashlib
import time
from collections.abc import Callable, Iterable
from datetime import date, datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any

import orjson
import yarl
from aiohttp import web

from clopos_async._config import Credentials
from clopos_async._errors import ClientValueError
from clopos_async.testing._arguments import (
    check,
    check_arguments,
    check_tiers,
    is_int,
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
from clopos_async.testing._query import INCLUDES
from clopos_async.testing._reference import wire_datetime
from clopos_async.testing._rules import apply_close, parse_close_body, parse_wire_datetime
from clopos_async.testing._serving import Hook, Pipeline
from clopos_async.testing._stock import StockOperationsRoute
from clopos_async.testing._store import ReceiptStore, next_moments
from clopos_async.testing._tokens import TokenIssuer
from clopos_async.testing._wire import Rejected

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


class SandboxServer:
    """A running simulation of the Clopos Open API v2 on ``host:port``.

    ``async with SandboxServer(receipts=500) as sandbox:`` starts it; point a client
    at ``sandbox.base_url`` with ``sandbox.credentials`` (or use ``sandbox.client()``).

    Receipts are seeded (``seed``): ids 1..N ascending with ``created_at``, spread
    over ``days`` days from ``start`` between 08:00 and 22:00, ``open_ratio`` of
    them open. Tokens live ``token_ttl`` seconds. ``latency`` (settable at any
    time) delays every answer. Each rate-limit tier (API §7) is a ``RateTier`` or
    ``None`` to switch it off; its windows run on ``clock`` (inject a test clock to
    simulate minutes of pacing instantly). Only paths under ``/open-api/v2`` are served: any
    other path gets 404 ``not_found``, so a client with a wrong ``base_url`` fails.

    Attributes tests read: ``log`` (every request, in order of arrival),
    ``changes`` (every write applied, in order: ``StateChange``; ``closes`` and
    ``changes_to()`` are views of it), ``max_in_flight``, ``faults`` and ``issued_tokens``.
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
        self.changes: list[StateChange] = []  # every write applied, in order
        self._store = ReceiptStore.generate(
            receipts=receipts, seed=seed, start=start, days=days, open_ratio=open_ratio
        )
        self._issuer = TokenIssuer(credentials=self.credentials, ttl=token_ttl)
        self._collections = _collections(self.changes)
        self.orders = OrdersEndpoints(self._store, self.changes)  # .accept(), .create_shape
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
        receipts_api = ReceiptsEndpoints(self._store, self.changes)
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
        """Listen on ``host:port`` (port 0 picks a free one). Starting twice is a no-op."""
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
        """``http://host:port/open-api/v2``; only while the server runs."""
        if self._base_url is None or self._runner is None:
            raise RuntimeError("the SandboxServer is not running: use `async with` or start()")
        return self._base_url

    def client(self, **kwargs: Any) -> CloposClient:
        """A ``CloposClient`` for this sandbox (``base_url`` and ``credentials`` set)."""
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

        ``before`` runs ahead of handling the request, ``after`` once its answer is built
        (the data changes it makes are seen by later requests only). Hooks get
        ``(method, path, query)`` with ``path`` relative to the API root, so a test can
        delay page 2 (an async ``before`` that sleeps) or add receipts right after page 3
        was served (an ``after`` calling ``add_receipts``).
        """
        for when, hook in (("before", before), ("after", after)):
            if hook is not None:
                self._pipeline.hooks[when].append(hook)

    def add_receipts(self, n: int, *, created_at: datetime | None = None) -> list[int]:
        """Create ``n`` receipts; by default after the newest one, one second apart."""
        check("n", n, is_int(n) and n >= 0, "an int >= 0")
        ok = created_at is None or (isinstance(created_at, datetime) and created_at.tzinfo is None)
        check("created_at", created_at, ok, "a naive datetime (venue local time) or None")
        moments = next_moments(self._store.newest_created_at(), n, created_at)
        return self._store.add(moments)

    def receipt(self, receipt_id: int, *, include: Iterable[str] = ()) -> dict[str, Any]:
        """The receipt's current wire dict (a deep copy), with ``include`` relations."""
        self._require_receipt(receipt_id)
        wanted = frozenset(include)
        unknown = sorted(wanted - set(INCLUDES))
        check("include", unknown, not unknown, f"relations among {', '.join(INCLUDES)}")
        return dict(orjson.loads(self._store.wire_bytes(receipt_id, wanted)))

    def rows(self, resource: str) -> list[dict[str, Any]]:
        """The wire dicts (copies) of a small resource, in id order: ``rows("stations")``."""
        check(
            "resource",
            resource,
            resource in self._collections,
            f"one of {sorted(self._collections)}",
        )
        return self._collections[resource].rows()

    def receipt_ids(
        self,
        *,
        date_from: date | None = None,
        date_to: date | None = None,
        status: int | None = None,
    ) -> list[int]:
        """Ascending ids created in the inclusive day range, with ``status`` if given."""
        return self._store.ids(date_from=date_from, date_to=date_to, status=status)

    def close_directly(
        self,
        receipt_id: int,
        payment_methods: list[dict[str, Any]],
        closed_at: str | None = None,
    ) -> None:
        """Close a receipt as "someone else" would (the POS): not recorded in ``closes``."""
        self._require_receipt(receipt_id)
        now = datetime.now()
        try:
            order = parse_close_body(orjson.dumps({"payment_methods": payment_methods}))
            moment = now if closed_at is None else parse_wire_datetime(closed_at, "closed_at")
        except Rejected as rejected:
            raise ClientValueError(f"close_directly({receipt_id}): {rejected.message}") from None
        receipt = apply_close(self._store.wire(receipt_id), order.payment_methods, moment, now)
        self._store.replace(receipt_id, receipt)

    def touch(self, receipt_id: int, *, at: datetime | None = None) -> None:
        """Move a receipt's ``updated_at`` to ``at`` (naive venue time; default now).

        A change as the POS would make it, for change-feed tests (``receipts.watch``).
        """
        self._require_receipt(receipt_id)
        ok = at is None or (isinstance(at, datetime) and at.tzinfo is None)
        check("at", at, ok, "a naive datetime (venue local time) or None")
        receipt = self._store.wire(receipt_id)
        moment = datetime.now() if at is None else at
        receipt["updated_at"] = wire_datetime(moment.replace(microsecond=0))
        self._store.replace(receipt_id, receipt)

    @property
    def echo_secrets(self) -> bool:
        """When True, 401s quote what was sent.

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
        """Logged requests with ``method`` (any case) and a path matching fnmatch ``path``."""
        wanted = None if method is None else method.upper()
        return [
            entry
            for entry in self._pipeline.log
            if (wanted is None or entry.method == wanted)
            and (path is None or fnmatch.fnmatchcase(entry.path, path))
        ]

    @property
    def closes(self) -> list[CloseRecord]:
        """Every close applied by ``POST /receipts/{id}/close``, in order (from ``changes``)."""
        return closes_in(self.changes)

    def changes_to(self, resource: str, action: str | None = None) -> list[StateChange]:
        """The ``changes`` to ``resource`` (``"orders"``), only ``action`` ones if given."""
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

    def accept_order(self, order_id: int) -> int:
        """The POS accepts a PENDING order: RECEIVED, with a new open receipt; its id."""
        return self.orders.accept(order_id)

    def _require_receipt(self, receipt_id: int) -> None:
        if receipt_id not in self._store:
            raise ClientValueError(
                f"receipt_id={receipt_id!r} is not allowed: no such receipt in this sandbox"
            )
