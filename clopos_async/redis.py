"""``RedisBackend``: one budget and one token for many processes (the ``redis`` extra).

``pip install 'clopos-async[redis]'``, then either build a backend yourself and
share it::

    backend = RedisBackend.from_url("redis://localhost:6379/0")
    client = CloposClient(credentials=..., rate_limit=RateLimit(backend=backend),
                          token_store=backend)
    ...
    await backend.aclose()      # a backend you pass in is yours to close

or set ``CLOPOS_REDIS_URL`` and use ``CloposClient.from_env()`` (that backend is
closed with the client). The client hands the backend its tenant key
(``integrator_id:brand``), so one Redis serves many tenants, each with its own
budget (API §7 tier 3) and token. See ``_redis_scripts`` for the key layout and
DESIGN §7 for the behaviour; when Redis is unreachable the backend paces this
process locally and mints locally, logs one WARNING, and goes back to Redis
within ``probe_interval`` seconds of its return. No redis-py exception escapes.
"""

from __future__ import annotations

import math
import uuid

import redis.asyncio
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

from clopos_async._auth import Minter, Token
from clopos_async._errors import ClientValueError
from clopos_async._ratelimit import LimiterBackend, MemoryBackend, Reservation
from clopos_async._redis_health import Health, Unavailable
from clopos_async._redis_scripts import COMPLETE, FREE_IN, HOLD, RESERVE, bucket_keys
from clopos_async._redis_tokens import SharedTokens
from clopos_async._tenant import LEASE_MARGIN
from clopos_async._validation import check_timeout

__all__ = ["RedisBackend"]

#: The lease of a bucket used without a client's scope: the default timeout plus the margin.
DEFAULT_LEASE = 30.0 + LEASE_MARGIN
#: Slots granted while Redis is down carry this prefix, so they complete locally too.
_LOCAL = "local:"


class RedisBackend:
    """A ``LimiterBackend`` and a token store kept in Redis, shared by every process using it.

    Args:
        client: a ``redis.asyncio.Redis``. It stays the caller's: ``aclose`` leaves it open.
        namespace: the prefix of every key this backend writes.
        probe_interval: while Redis is down, seconds between attempts to use it again.

    Raises:
        ClientValueError: ``client`` is not a ``redis.asyncio.Redis``, or ``namespace``
            is empty, or ``probe_interval`` is not a positive number.
    """

    def __init__(
        self,
        client: redis.asyncio.Redis,
        *,
        namespace: str = "clopos",
        probe_interval: float = 1.0,
    ) -> None:
        """Share budgets and tokens through ``client`` (left open by ``aclose``).

        Args:
            client: a ``redis.asyncio.Redis``.
            namespace: the prefix of every key (one per fleet or environment).
            probe_interval: seconds between probes of Redis while it is down.

        Raises:
            ClientValueError: an argument is not allowed (named, with what is).
        """
        _check_arguments(client, namespace, probe_interval)
        self._redis = client
        self._owns_client = False
        self.namespace = namespace
        self.health = Health(probe_interval=probe_interval, reset=client.connection_pool.disconnect)
        self._reserve = client.register_script(RESERVE)
        self._complete = client.register_script(COMPLETE)
        self._hold = client.register_script(HOLD)
        self._free_in = client.register_script(FREE_IN)
        self._tokens = SharedTokens(client, namespace, self.health)
        self._default = _ScopedLimiter(self, {}, DEFAULT_LEASE)

    @classmethod
    def from_url(
        cls, url: str, *, namespace: str = "clopos", probe_interval: float = 1.0
    ) -> RedisBackend:
        """A backend on a client it builds (lazily: nothing connects yet) and closes.

        Args:
            url: a redis-py URL (``redis://[:password@]host:port/db``, ``rediss://``, ``unix://``).
            namespace: the prefix of every key this backend writes.
            probe_interval: while Redis is down, seconds between attempts to use it again.

        Returns:
            A backend whose ``aclose`` also closes the client.

        Raises:
            ClientValueError: the URL is not one redis-py accepts.
        """
        if not isinstance(url, str):
            raise ClientValueError(f"url={url!r} is not allowed: a redis:// URL is required")
        try:
            # Short timeouts and one immediate retry (a pooled connection the server
            # dropped): an outage costs a request milliseconds, then the backend paces
            # locally (DESIGN §7).
            client = redis.asyncio.Redis.from_url(
                url,
                socket_connect_timeout=1.0,
                socket_timeout=2.0,
                retry=Retry(NoBackoff(), 1),
            )
        except ValueError as exc:
            raise ClientValueError(
                "url=*** is not allowed: a redis://, rediss:// or unix:// URL is required"
                f" ({type(exc).__name__})"
            ) from None
        backend = cls(client, namespace=namespace, probe_interval=probe_interval)
        backend._owns_client = True
        return backend

    async def aclose(self) -> None:
        """Close the Redis client if ``from_url`` built it; a client passed in stays open."""
        if self._owns_client:
            self._owns_client = False
            await self._redis.aclose()

    def __repr__(self) -> str:
        """The namespace and whether Redis is down; never the URL (it may hold a password)."""
        return f"RedisBackend(namespace={self.namespace!r}, down={self.health.down})"

    # -- the client's scope (clopos_async._tenant.TenantScoped) --------------------------

    def for_client(self, *, tenant: str, auth: str, lease: float) -> LimiterBackend:
        """The limiter of one client: its tenant and ``/auth`` buckets, its slots' lease.

        Called by ``CloposClient`` with its tenant key; not needed in user code.

        Args:
            tenant: the tenant key (``integrator_id:brand``) of the client's budget.
            auth: the key of the client's ``/auth`` budget.
            lease: seconds after which a slot never completed is reclaimed.

        Returns:
            A ``LimiterBackend`` whose ``"tenant"`` and ``"auth"`` buckets are that client's.
        """
        return _ScopedLimiter(self, {"tenant": f"tenant:{tenant}", "auth": f"auth:{auth}"}, lease)

    # -- LimiterBackend, unscoped: the bucket name is the key ------------------------------

    async def reserve(self, bucket: str, limit: int, window: float) -> Reservation:
        """Take a slot in ``bucket`` if fewer than ``limit`` are in the last ``window`` s.

        Args:
            bucket: the budget's name (``"tenant"`` or ``"auth"``).
            limit: slots the window holds.
            window: the window, in seconds.

        Returns:
            A ``Reservation``: the slot id, or no slot and how long to wait.
        """
        return await self._default.reserve(bucket, limit, window)

    async def complete(self, bucket: str, slot: str) -> None:
        """The slot's response arrived: its window starts now (Redis time).

        Args:
            bucket: the budget's name.
            slot: the slot ``reserve`` granted.
        """
        await self._default.complete(bucket, slot)

    async def hold(self, bucket: str, seconds: float) -> None:
        """Grant nothing in ``bucket`` for ``seconds``, in every process.

        Args:
            bucket: the budget's name.
            seconds: how long to grant nothing.
        """
        await self._default.hold(bucket, seconds)

    async def free_in(self, bucket: str, limit: int, window: float) -> float:
        """Seconds until the fleet's log has a slot (holds aside); 0 if it has one now.

        Args:
            bucket: the budget's name.
            limit: slots the window holds.
            window: the window, in seconds.

        Returns:
            Seconds until a slot frees (holds aside); 0.0 if one is free now.
        """
        return await self._default.free_in(bucket, limit, window)

    # -- TokenStore ---------------------------------------------------------------------

    async def obtain(self, tenant: str, mint: Minter, *, stale: Token | None = None) -> Token:
        """The tenant's shared token, minted by one process of the fleet when there is none.

        Args:
            tenant: the tenant key (``integrator_id:brand``).
            mint: the client's ``POST /auth``; called by one process at a time.
            stale: a token a 401 answered: deleted only if it is still the stored one.

        Returns:
            A token usable now.

        Raises:
            CloposError: whatever ``mint`` raised (never a redis-py error).
        """
        return await self._tokens.obtain(tenant, mint, stale=stale)


class _ScopedLimiter:
    """One client's view: bucket names mapped to tenant keys; local pacing while Redis is down."""

    def __init__(self, backend: RedisBackend, keys: dict[str, str], lease: float) -> None:
        self._backend = backend
        self._keys = keys
        self._lease_ms = _ms(lease)
        self._windows: dict[str, int] = {}
        self._local = MemoryBackend()

    async def reserve(self, bucket: str, limit: int, window: float) -> Reservation:
        keys = bucket_keys(self._backend.namespace, self._keys.get(bucket, bucket))
        window_ms = self._windows[bucket] = _ms(window)
        slot = uuid.uuid4().hex
        args: list[int | str] = [limit, window_ms, self._lease_ms, _ms(LEASE_MARGIN), slot]
        script = self._backend._reserve
        try:
            granted, wait_ms = await self._backend.health.call(
                lambda: script(keys=[keys.inflight, keys.done, keys.hold], args=args)
            )
        except Unavailable:
            local = await self._local.reserve(bucket, limit, window)
            return local if local.slot is None else Reservation(slot=_LOCAL + local.slot)
        if granted:
            return Reservation(slot=slot)
        return Reservation(slot=None, wait=int(wait_ms) / 1000)

    async def complete(self, bucket: str, slot: str) -> None:
        if slot.startswith(_LOCAL):
            await self._local.complete(bucket, slot[len(_LOCAL) :])
            return
        keys = bucket_keys(self._backend.namespace, self._keys.get(bucket, bucket))
        window_ms = self._windows.get(bucket, self._lease_ms)
        # Lost with Redis: the slot's lease reclaims it (DESIGN §7).
        await self._backend.health.quietly(
            lambda: self._backend._complete(keys=[keys.inflight, keys.done], args=[slot, window_ms])
        )

    async def hold(self, bucket: str, seconds: float) -> None:
        # Locally too: if Redis goes away, the fallback still knows what the server said.
        await self._local.hold(bucket, seconds)
        keys = bucket_keys(self._backend.namespace, self._keys.get(bucket, bucket))
        await self._backend.health.quietly(
            lambda: self._backend._hold(keys=[keys.hold], args=[_ms(seconds)])
        )

    async def free_in(self, bucket: str, limit: int, window: float) -> float:
        keys = bucket_keys(self._backend.namespace, self._keys.get(bucket, bucket))
        script = self._backend._free_in
        try:
            ms = await self._backend.health.call(
                lambda: script(keys=[keys.inflight, keys.done], args=[limit, _ms(window)])
            )
        except Unavailable:
            return await self._local.free_in(bucket, limit, window)
        return float(ms) / 1000


def _check_arguments(client: object, namespace: object, probe_interval: object) -> None:
    if not isinstance(client, redis.asyncio.Redis):
        raise ClientValueError(
            f"client={type(client).__name__} is not allowed: a redis.asyncio.Redis is required"
        )
    if not isinstance(namespace, str) or not namespace:
        raise ClientValueError(
            f"namespace={namespace!r} is not allowed: a non-empty string is required"
        )
    check_timeout("probe_interval", probe_interval)


def _ms(seconds: float) -> int:
    return max(1, math.ceil(seconds * 1000))
