"""The token manager: single-flight minting, refresh margin, compare-and-clear."""

from __future__ import annotations

import asyncio

import pytest

from clopos_async._auth import StaticToken, Token, TokenManager
from clopos_async._errors import DecodeError
from clopos_async._pipeline import token_from_auth
from tests.fakes import FakeClock


class Minter:
    def __init__(self, clock: FakeClock, lifetime: float = 3600.0) -> None:
        self.clock = clock
        self.lifetime = lifetime
        self.calls = 0

    async def __call__(self) -> Token:
        self.calls += 1
        await asyncio.sleep(0.01)  # let every waiter pile up behind the one mint
        return Token(
            value=f"jwt-{self.calls}",
            expires_at=self.clock.time() + self.lifetime,
            lifetime=self.lifetime,
        )


async def test_fifty_concurrent_first_requests_mint_once() -> None:
    clock = FakeClock()
    mint = Minter(clock)
    manager = TokenManager(mint, clock=clock.time)
    tokens = await asyncio.gather(*(manager.get() for _ in range(50)))
    assert mint.calls == 1
    assert {t.value for t in tokens} == {"jwt-1"}


async def test_refreshes_sixty_seconds_before_expiry() -> None:
    clock = FakeClock()
    mint = Minter(clock, lifetime=3600)
    manager = TokenManager(mint, clock=clock.time)
    await manager.get()
    clock.advance(3600 - 61)
    assert (await manager.get()).value == "jwt-1"
    clock.advance(2)
    assert (await manager.get()).value == "jwt-2"


async def test_margin_is_capped_at_half_a_short_lifetime() -> None:
    clock = FakeClock()
    mint = Minter(clock, lifetime=10)
    manager = TokenManager(mint, clock=clock.time)
    await manager.get()
    clock.advance(4.9)
    assert (await manager.get()).value == "jwt-1"
    clock.advance(0.2)
    assert (await manager.get()).value == "jwt-2"


async def test_invalidate_clears_only_the_token_that_was_used() -> None:
    clock = FakeClock()
    mint = Minter(clock)
    manager = TokenManager(mint, clock=clock.time)
    old = await manager.get()
    manager.invalidate(old)
    fresh = await manager.get()
    manager.invalidate(old)  # a late 401 for the old token must not drop the fresh one
    assert await manager.get() is fresh
    assert mint.calls == 2


async def test_a_failed_mint_reaches_every_waiter_and_the_next_call_retries() -> None:
    calls = 0

    async def failing() -> Token:
        nonlocal calls
        calls += 1
        await asyncio.sleep(0.01)
        raise RuntimeError("auth down")

    manager = TokenManager(failing)
    results = await asyncio.gather(*(manager.get() for _ in range(5)), return_exceptions=True)
    assert all(isinstance(r, RuntimeError) for r in results)
    assert calls == 1
    with pytest.raises(RuntimeError):
        await manager.get()
    assert calls == 2


async def test_static_token_is_never_refreshed() -> None:
    static = StaticToken("abc")
    token = await static.get()
    static.invalidate(token)
    assert (await static.get()) is token
    assert "abc" not in repr(token)


def test_token_from_auth_reads_documented_fields() -> None:
    token = token_from_auth(
        {"success": True, "token": "t", "expires_in": 3600, "expires_at": 1_000_003_600},
        now=1_000_000_000,
    )
    assert token.expires_at == 1_000_003_600
    assert token.lifetime == 3600


def test_token_from_auth_falls_back_to_expires_in() -> None:
    token = token_from_auth({"token": "t", "expires_in": 100}, now=50)
    assert token.expires_at == 150


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"token": ""},
        {"token": 5, "expires_in": 1},
        {"token": "t"},
        {"token": "t", "expires_at": "x"},
    ],
)
def test_token_from_auth_rejects_bad_bodies(body: dict[str, object]) -> None:
    with pytest.raises(DecodeError):
        token_from_auth(body, now=0)
