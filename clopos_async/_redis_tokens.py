"""One token per tenant for a fleet of processes, kept in Redis (DESIGN §7).

The token is stored until its refresh point (``expires_at`` minus the refresh
margin), so no process ever reads one it would not send. When there is none,
one process takes a lock (``SET NX PX``) and mints; the others poll the key
until the token appears, or until the lock has gone (its holder died) and one
of them takes it. A 401 deletes the shared token only if it is still the one
that failed (compare-and-delete in Lua): a late 401 never throws away a fresh
token. If Redis fails before the mint, this process mints on its own.
"""

from __future__ import annotations

import asyncio
import math
import time
import uuid

import orjson
import redis.asyncio

from clopos_async._auth import REFRESH_MARGIN, Minter, Token
from clopos_async._redis_health import Health, Unavailable
from clopos_async._redis_scripts import FORGET_TOKEN, RELEASE_LOCK, token_key

#: How long the minting process holds the lock; a dead holder blocks no longer.
LOCK_SECONDS = 30.0
#: How often a waiting process looks for the token another one is minting.
POLL_SECONDS = 0.05


class SharedTokens:
    """The token-store half of ``RedisBackend``."""

    def __init__(self, client: redis.asyncio.Redis, namespace: str, health: Health) -> None:
        self._redis = client
        self._namespace = namespace
        self._health = health
        self._forget = client.register_script(FORGET_TOKEN)
        self._release = client.register_script(RELEASE_LOCK)

    async def obtain(self, tenant: str, mint: Minter, *, stale: Token | None = None) -> Token:
        """The shared token, or one minted by exactly one process (see module docs)."""
        key = token_key(self._namespace, tenant)
        try:
            if stale is not None:
                await self._health.call(lambda: self._forget(keys=[key], args=[stale.value]))
            return await self._read_or_mint(key, mint)
        except Unavailable:
            return await mint()

    async def _read_or_mint(self, key: str, mint: Minter) -> Token:
        while True:
            token = await self._read(key)
            if token is not None:
                return token
            owner = uuid.uuid4().hex
            if await self._lock(key, owner):
                return await self._mint_as_owner(key, owner, mint)
            await asyncio.sleep(POLL_SECONDS)

    async def _lock(self, key: str, owner: str) -> bool:
        locked = await self._health.call(
            lambda: self._redis.set(f"{key}:lock", owner, nx=True, px=_ms(LOCK_SECONDS))
        )
        return bool(locked)

    async def _mint_as_owner(self, key: str, owner: str, mint: Minter) -> Token:
        try:
            # Another process may have stored one between our read and our lock.
            token = await self._read(key)
            if token is None:
                token = await mint()
                await self._store(key, token)
            return token
        finally:
            await self._health.quietly(lambda: self._release(keys=[f"{key}:lock"], args=[owner]))

    async def _read(self, key: str) -> Token | None:
        raw = await self._health.call(lambda: self._redis.get(key))
        if raw is None:
            return None
        try:
            fields = orjson.loads(raw)
            token = Token(
                value=str(fields["value"]),
                expires_at=float(fields["expires_at"]),
                lifetime=float(fields["lifetime"]),
            )
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
            return None  # not ours (or from an incompatible version): mint over it
        return token if token.usable_at(time.time()) else None

    async def _store(self, key: str, token: Token) -> None:
        refresh_at = token.expires_at - min(REFRESH_MARGIN, token.lifetime / 2)
        ttl = refresh_at - time.time()
        if not math.isfinite(ttl) or ttl <= 0:
            return
        body = orjson.dumps(
            {"value": token.value, "expires_at": token.expires_at, "lifetime": token.lifetime}
        )
        # A store that fails costs only sharing: this process keeps the token it minted.
        await self._health.quietly(lambda: self._redis.set(key, body, px=_ms(ttl)))


def _ms(seconds: float) -> int:
    return max(1, math.ceil(seconds * 1000))
