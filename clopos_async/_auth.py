"""The token manager: one valid ``x-token`` for every request (API §3, DESIGN §2 Auth).

Tokens are minted lazily at ``POST /auth`` and re-minted before ``expires_at``
with a single refresh in flight, however many requests wait for it. A 401
clears only the token the failed request carried (compare-and-clear), so a
late 401 from an old token never throws away a fresh one. The HTTP work of
minting is the client's: this module only decides *when* and keeps the value.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Protocol, runtime_checkable

import attrs

from clopos_async._errors import APIConnectionError

#: Refresh this long before ``expires_at`` (capped at half the lifetime; DESIGN §2).
REFRESH_MARGIN = 60.0


@attrs.frozen(kw_only=True, slots=True)
class Token:
    """A JWT and when it stops being accepted. The value never shows in a repr.

    Attributes:
        value: the JWT (never shown in a repr).
        expires_at: when it stops being accepted, in Unix seconds.
        lifetime: its lifetime in seconds.
    """

    value: str = attrs.field(repr=False)
    expires_at: float
    lifetime: float

    def usable_at(self, now: float) -> bool:
        """True while the token may still be sent: before its refresh point.

        Args:
            now: the current wall-clock time, in Unix seconds.

        Returns:
            Whether ``now`` is before ``expires_at`` minus the refresh margin (60 s, or
            half the lifetime if that is shorter).
        """
        margin = min(REFRESH_MARGIN, self.lifetime / 2)
        return now < self.expires_at - margin


#: Mints a fresh token (the client's ``POST /auth`` exchange).
Minter = Callable[[], Awaitable[Token]]


@runtime_checkable
class TokenStore(Protocol):
    """Where a fleet of processes keeps one token per tenant (DESIGN §7).

    ``clopos_async.redis.RedisBackend`` is one. A store never raises its own
    errors: when it cannot be reached it mints locally with ``mint``.
    """

    async def obtain(self, tenant: str, mint: Minter, *, stale: Token | None = None) -> Token:
        """A usable token for ``tenant``: the shared one, or one minted (by one process).

        Args:
            tenant: the tenant key the client hands over (``integrator_id:brand``).
            mint: mints a fresh token; called by at most one process at a time.
            stale: a token a 401 answered; it is deleted only if it is still the
                stored one (compare-and-delete).

        Returns:
            A token usable now.

        Raises:
            CloposError: whatever ``mint`` raised.
        """
        ...


class TokenManager:
    """Hands out the current token; mints one when there is none or it is near expiry."""

    def __init__(
        self,
        mint: Minter,
        *,
        clock: Callable[[], float] = time.time,
        store: TokenStore | None = None,
        tenant: str = "",
    ) -> None:
        self._mint = mint
        self._clock = clock
        self._store = store
        self._tenant = tenant
        self._stale: Token | None = None
        self._token: Token | None = None
        self._refresh: asyncio.Future[Token] | None = None
        self._closed = False
        self._minted: Token | None = None

    async def get(self, timeout: float | None = None) -> Token:
        """The current token, minting one (once, for all waiters) if needed.

        ``timeout`` bounds this caller's wait (asyncio.TimeoutError); the mint goes on
        for the others.
        """
        token = self._token
        if token is not None and token.usable_at(self._clock()):
            return token
        if self._closed:
            raise _closed_error()
        if self._refresh is None:
            self._refresh = asyncio.ensure_future(self._mint_and_store())
            self._refresh.add_done_callback(self._refresh_done)
        refresh = self._refresh
        # asyncio.wait never cancels what it waits on: one waiter giving up (its timeout,
        # or its own cancellation) must not cancel the mint the others wait on.
        done, _ = await asyncio.wait({refresh}, timeout=timeout)
        if not done:
            raise asyncio.TimeoutError
        if refresh.cancelled():
            raise _closed_error()  # only close() cancels a mint
        return refresh.result()

    async def close(self) -> None:
        """Stop a mint in flight (its retries and their log lines) and wait until it has."""
        self._closed = True
        refresh = self._refresh
        if refresh is not None and not refresh.done():
            refresh.cancel()
            await asyncio.wait([refresh])

    def invalidate(self, token: Token) -> None:
        """Forget ``token`` if it is still the current one (a 401 came back for it)."""
        if self._token is token:
            self._token = None
            self._stale = token  # the shared store forgets it at the next get()

    def shared(self, token: Token) -> bool:
        """True if ``token`` came from the fleet's store, minted by another process.

        Such a token may already have failed elsewhere (a 401 another process has not
        yet deleted): its 401 does not show that fresh tokens are refused (DESIGN §7).
        """
        return self._store is not None and token is not self._minted

    async def _mint_here(self) -> Token:
        self._minted = await self._mint()
        return self._minted

    async def _mint_and_store(self) -> Token:
        if self._store is None:
            token = await self._mint_here()
        else:
            stale, self._stale = self._stale, None
            token = await self._store.obtain(self._tenant, self._mint_here, stale=stale)
        self._token = token
        return token

    def _refresh_done(self, future: asyncio.Future[Token]) -> None:
        self._refresh = None
        if not future.cancelled():
            # Mark a failure as seen: every waiter already received it.
            future.exception()


def _closed_error() -> APIConnectionError:
    return APIConnectionError(
        "the client was closed while a token was being minted",
        method="POST",
        url="/auth",
        request_sent=False,
    )


class StaticToken:
    """A token the caller supplied: never refreshed, and a 401 is final."""

    def __init__(self, value: str) -> None:
        self._token = Token(value=value, expires_at=float("inf"), lifetime=float("inf"))

    async def get(self, timeout: float | None = None) -> Token:
        return self._token

    def invalidate(self, token: Token) -> None:
        """Nothing to do: a static token cannot be replaced."""

    async def close(self) -> None:
        """Nothing to stop: a static token is never minted."""
