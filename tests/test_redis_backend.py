"""RedisBackend in one process against a real redis-server: atomicity, leases, holds, tokens,
key expiry, fallback while Redis is down and the return to it, and the client's wiring."""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import AsyncIterator, Callable

import pytest
import redis.asyncio

from benchmarks._redis_server import RedisServer, free_port
from clopos_async import AuthenticationError, ClientValueError, CloposClient, Credentials
from clopos_async._auth import Minter, Token
from clopos_async._tenant import tenant_key
from clopos_async.redis import RedisBackend
from clopos_async.testing import SandboxServer
from tests.redis_support import redis_server

__all__ = ["redis_server"]

_names = itertools.count()


Make = Callable[..., RedisBackend]


@pytest.fixture
async def make(redis_server: RedisServer) -> AsyncIterator[Make]:
    """Backends on the module's server (``same=b``: b's namespace), all closed afterwards."""
    made: list[RedisBackend] = []

    def build(same: RedisBackend | None = None) -> RedisBackend:
        namespace = same.namespace if same is not None else f"t{next(_names)}"
        made.append(RedisBackend.from_url(redis_server.url, namespace=namespace))
        return made[-1]

    yield build
    for backend in made:
        await backend.aclose()


async def test_reserve_is_atomic_across_backends(make: Make) -> None:
    first = make()
    second = make(first)
    scoped = [b.for_client(tenant="i:b", auth="c", lease=10) for b in (first, second)]
    grants = await asyncio.gather(*(s.reserve("tenant", 7, 5.0) for s in scoped * 20))
    assert sum(1 for g in grants if g.slot is not None) == 7
    assert all(g.wait > 0 for g in grants if g.slot is None)


async def test_completed_slot_frees_after_the_window(make: Make) -> None:
    scoped = make().for_client(tenant="i:b", auth="c", lease=10)
    granted = await scoped.reserve("tenant", 1, 0.2)
    assert granted.slot is not None
    await scoped.complete("tenant", granted.slot)
    assert (await scoped.reserve("tenant", 1, 0.2)).slot is None
    await asyncio.sleep(0.25)
    assert (await scoped.reserve("tenant", 1, 0.2)).slot is not None


async def test_a_dead_holders_slots_count_until_their_lease(make: Make) -> None:
    scoped = make().for_client(tenant="i:b", auth="c", lease=0.3)
    held = [await scoped.reserve("tenant", 3, 0.1) for _ in range(3)]  # never completed
    assert all(r.slot is not None for r in held)
    assert (await scoped.reserve("tenant", 3, 0.1)).slot is None
    await asyncio.sleep(0.35)
    again = [await scoped.reserve("tenant", 3, 0.1) for _ in range(4)]
    assert sum(1 for r in again if r.slot is not None) == 3


async def test_free_in_is_when_the_fleets_full_log_frees_a_slot(make: Make) -> None:
    first = make()
    scoped = [b.for_client(tenant="i:b", auth="c", lease=10) for b in (first, make(first))]
    assert await scoped[1].free_in("tenant", 2, 5.0) == 0  # room: nothing to wait for
    for backend in scoped:
        granted = await backend.reserve("tenant", 2, 5.0)
        assert granted.slot is not None
        await backend.complete("tenant", granted.slot)
    wait = await scoped[1].free_in("tenant", 2, 5.0)  # full with the other process's slot
    assert 4.0 < wait <= 5.0
    assert (await scoped[0].reserve("tenant", 2, 5.0)).slot is None


async def test_tenants_and_tiers_have_their_own_buckets(make: Make) -> None:
    backend = make()
    one = backend.for_client(tenant="i:one", auth="c1", lease=10)
    two = backend.for_client(tenant="i:two", auth="c2", lease=10)
    assert (await one.reserve("tenant", 1, 5.0)).slot is not None
    assert (await one.reserve("tenant", 1, 5.0)).slot is None
    assert (await one.reserve("auth", 1, 5.0)).slot is not None
    assert (await two.reserve("tenant", 1, 5.0)).slot is not None


async def test_a_hold_is_shared_by_every_process(make: Make) -> None:
    first = make()
    second = make(first)
    await first.for_client(tenant="i:b", auth="c", lease=10).hold("tenant", 2.0)
    held = await second.for_client(tenant="i:b", auth="c", lease=10).reserve("tenant", 9, 5.0)
    assert held.slot is None
    assert 1.0 < held.wait <= 2.0


async def test_every_key_expires(make: Make, redis_server: RedisServer) -> None:
    backend = make()
    scoped = backend.for_client(tenant="i:b", auth="c", lease=10)
    done = await scoped.reserve("tenant", 5, 5.0)
    assert done.slot is not None
    await scoped.complete("tenant", done.slot)
    await scoped.reserve("tenant", 5, 5.0)
    await scoped.hold("tenant", 1.0)
    await backend.obtain("i:b", _minter([]))
    raw = redis.asyncio.Redis.from_url(redis_server.url)
    keys = await raw.keys(f"{backend.namespace}:*")
    assert len(keys) == 4  # inflight, done, hold, token
    ttls = [await raw.pttl(k) for k in keys]
    assert all(ttl > 0 for ttl in ttls)
    await raw.aclose()


def _minter(minted: list[str], lifetime: float = 100.0, pause: float = 0.0) -> Minter:
    import time

    async def mint() -> Token:
        await asyncio.sleep(pause)
        minted.append(f"jwt-{len(minted)}")
        return Token(value=minted[-1], expires_at=time.time() + lifetime, lifetime=lifetime)

    return mint


async def test_one_mint_for_many_waiters_in_many_processes(make: Make) -> None:
    first = make()
    second = make(first)
    minted: list[str] = []
    mint = _minter(minted, pause=0.2)
    tokens = await asyncio.gather(*(b.obtain("i:b", mint) for b in (first, second) * 10))
    assert minted == ["jwt-0"]
    assert {t.value for t in tokens} == {"jwt-0"}


async def test_stored_token_lives_until_its_refresh_point(
    make: Make, redis_server: RedisServer
) -> None:
    backend = make()
    await backend.obtain("i:b", _minter([], lifetime=100.0))
    raw = redis.asyncio.Redis.from_url(redis_server.url)
    ttl = await raw.pttl(f"{backend.namespace}:tok:i:b")
    await raw.aclose()
    assert 49_000 < ttl <= 50_000  # expires_at minus min(60 s, lifetime / 2)


async def test_a_401_deletes_the_shared_token_only_if_it_is_still_stored(
    make: Make,
) -> None:
    backend = make()
    minted: list[str] = []
    mint = _minter(minted)
    current = await backend.obtain("i:b", mint)
    old = Token(value="jwt-older", expires_at=current.expires_at, lifetime=100.0)
    assert (await backend.obtain("i:b", mint, stale=old)).value == "jwt-0"
    assert (await backend.obtain("i:b", mint, stale=current)).value == "jwt-1"
    assert minted == ["jwt-0", "jwt-1"]


async def test_redis_down_paces_locally_warns_once_and_comes_back(
    caplog: pytest.LogCaptureFixture,
) -> None:
    server = RedisServer(free_port())  # not started yet: Redis is down
    backend = RedisBackend.from_url(server.url, namespace="down", probe_interval=0.2)
    scoped = backend.for_client(tenant="i:b", auth="c", lease=10)
    minted: list[str] = []
    with caplog.at_level(logging.INFO, logger="clopos_async"):
        grants = [await scoped.reserve("tenant", 3, 5.0) for _ in range(5)]
        token = await backend.obtain("i:b", _minter(minted))
        assert [g.slot is not None for g in grants] == [True, True, True, False, False]
        assert token.value == "jwt-0"
        for grant in grants[:3]:
            assert grant.slot is not None
            await scoped.complete("tenant", grant.slot)
        server.start()
        try:
            await asyncio.sleep(0.25)
            back = await scoped.reserve("tenant", 3, 5.0)  # the shared bucket is empty
            assert back.slot is not None
            assert not back.slot.startswith("local:")
            assert not backend.health.down
        finally:
            await backend.aclose()
            server.stop()
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert backend.health.outages == 1
    assert any("back" in r.getMessage() for r in caplog.records if r.levelno == logging.INFO)


def test_bad_arguments_name_the_argument() -> None:
    with pytest.raises(ClientValueError, match="client=str"):
        RedisBackend("redis://x")  # type: ignore[arg-type]
    with pytest.raises(ClientValueError, match="namespace=''"):
        RedisBackend.from_url("redis://127.0.0.1:1/0", namespace="")
    with pytest.raises(ClientValueError, match="url="):
        RedisBackend.from_url("nope://host")
    with pytest.raises(ClientValueError, match="token_store=str"):
        CloposClient(token="t", token_store="redis")  # type: ignore[arg-type]


def test_tenant_key_is_the_servers_or_a_hash_of_the_token() -> None:
    creds = Credentials(client_id="c", client_secret="s", brand="br", integrator_id="in")
    assert tenant_key(creds, None) == "in:br"
    hashed = tenant_key(None, "secret-jwt")
    assert hashed.startswith("token:")
    assert "secret-jwt" not in hashed
    assert hashed != tenant_key(None, "other-jwt")


async def test_from_env_shares_through_redis_and_closes_it(
    redis_server: RedisServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with SandboxServer(receipts=5) as sandbox:
        creds = sandbox.credentials
        for name, value in {
            "CLOPOS_CLIENT_ID": creds.client_id,
            "CLOPOS_CLIENT_SECRET": creds.client_secret,
            "CLOPOS_BRAND": creds.brand,
            "CLOPOS_INTEGRATOR_ID": creds.integrator_id,
            "CLOPOS_BASE_URL": sandbox.base_url,
            "CLOPOS_REDIS_URL": redis_server.url,
        }.items():
            monkeypatch.setenv(name, value)
        raw = redis.asyncio.Redis.from_url(redis_server.url)
        await raw.delete("clopos:tok:test_sandbox:sandbox")
        async with CloposClient.from_env() as first:
            await first.receipts.get(1)
        async with CloposClient.from_env() as second:  # reuses the stored token
            await second.receipts.get(2)
        assert await raw.exists("clopos:tok:test_sandbox:sandbox") == 1
        await raw.aclose()
        assert sum(1 for e in sandbox.log if e.path == "/auth") == 1
        backend = first._owned_backend
        assert isinstance(backend, RedisBackend)
        assert not backend._owns_client


async def _fleet_of_two(
    sandbox: SandboxServer, make: Make
) -> tuple[CloposClient, CloposClient]:
    first = make()
    clients = [
        CloposClient(
            credentials=sandbox.credentials,
            base_url=sandbox.base_url,
            token_store=backend,
            rate_limit=None,
        )
        for backend in (first, make(first))
    ]
    return clients[0], clients[1]


async def test_a_shared_token_that_died_before_it_was_read_costs_no_call(make: Make) -> None:
    # Ordering of the fleet flake: b holds t1; the tokens expire; a replaces t1 with
    # t2 in Redis; the tokens expire again before anyone deletes t2; b's call 401s on
    # t1 and its replay reads t2, already dead. That 401 is the fleet's, not a sign
    # that fresh tokens are refused: b mints t3 and the call succeeds.
    async with SandboxServer(receipts=5) as sandbox:
        a, b = await _fleet_of_two(sandbox, make)
        async with a, b:
            await a.receipts.get(1)
            await b.receipts.get(1)  # both hold t1 now
            sandbox.expire_tokens()
            await a.receipts.get(2)  # 401 on t1, a mints and stores t2
            sandbox.expire_tokens()
            await b.receipts.get(3)  # 401 on t1, 401 on t2, t3
        statuses = [e.status for e in sandbox.log if e.path == "/receipts/3"]
    assert statuses == [401, 401, 200]
    assert sum(1 for e in sandbox.log if e.path == "/auth") == 3


async def test_a_server_refusing_every_token_ends_a_fleet_call(make: Make) -> None:
    async with SandboxServer(receipts=5) as sandbox:
        a, b = await _fleet_of_two(sandbox, make)
        async with a, b:
            await a.authenticate()  # b's first token is the shared one a minted
            sandbox.fault("/receipts/*", status=401)
            with pytest.raises(AuthenticationError):
                await b.receipts.get(1)
        statuses = [e.status for e in sandbox.log if e.path == "/receipts/1"]
    # The shared token's 401, then one replay with a token b minted itself: final.
    assert statuses == [401, 401]
    assert sum(1 for e in sandbox.log if e.path == "/auth") == 2
