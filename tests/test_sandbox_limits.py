"""The sandbox's three rate-limit tiers and RateLimit-* headers (API §4, §7)."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import pytest

from clopos_async import ClientValueError
from clopos_async.testing import RateTier, SandboxServer
from clopos_async.testing._limits import Quota, SlidingWindow, most_constrained
from tests.sandbox_http import mint_token

RATE_HEADERS = ("RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset")


async def token_headers(http: aiohttp.ClientSession, sb: SandboxServer) -> dict[str, str]:
    return {"x-token": await mint_token(http, sb)}


async def call(
    http: aiohttp.ClientSession, method: str, url: str, **kwargs: Any
) -> tuple[int, dict[str, str], Any]:
    async with http.request(method, url, **kwargs) as response:
        return response.status, dict(response.headers), await response.json()


def quota(headers: dict[str, str]) -> tuple[int, int, int]:
    limit, remaining, reset = (int(headers[name]) for name in RATE_HEADERS)
    return limit, remaining, reset


# --- tier 3: per integrator_id:brand -----------------------------------------------------


async def test_every_authenticated_response_carries_the_headers(
    http: aiohttp.ClientSession,
) -> None:
    async with SandboxServer(receipts=5, tenant_limit=RateTier(50, 30.0)) as sb:
        headers = await token_headers(http, sb)
        seen = []
        for url in ("/receipts", "/receipts/1", "/receipts/999", "/receipts?limit=0"):
            status, answer_headers, _ = await call(http, "GET", sb.base_url + url, headers=headers)
            seen.append((status, quota(answer_headers)))
    assert seen == [
        (200, (50, 49, 0)),
        (200, (50, 48, 0)),
        (404, (50, 47, 0)),
        (400, (50, 46, 0)),
    ]


async def test_tenant_tier_answers_429_once_the_window_is_full(
    http: aiohttp.ClientSession,
) -> None:
    async with SandboxServer(receipts=5, tenant_limit=RateTier(5, 30.0)) as sb:
        headers = await token_headers(http, sb)
        results = [
            await call(http, "GET", f"{sb.base_url}/receipts", headers=headers) for _ in range(7)
        ]
        log = sb.requests("GET", "/receipts")
    assert [status for status, _, _ in results] == [200] * 5 + [429, 429]
    assert [quota(h)[1] for _, h, _ in results] == [4, 3, 2, 1, 0, 0, 0]
    _, limited, body = results[5]
    assert body["success"] is False
    assert body["error"] == "rate_limited"
    assert 1 <= int(limited["RateLimit-Reset"]) <= 30
    assert limited["Retry-After"] == limited["RateLimit-Reset"]
    assert [entry.rate_limited for entry in log] == [False] * 5 + [True, True]


async def test_a_429_does_not_consume_tenant_budget(http: aiohttp.ClientSession) -> None:
    async with SandboxServer(receipts=5, tenant_limit=RateTier(3, 0.6)) as sb:
        headers = await token_headers(http, sb)
        url = f"{sb.base_url}/receipts"
        for _ in range(3):
            assert (await call(http, "GET", url, headers=headers))[0] == 200
        for _ in range(5):  # hammering while limited must not push the reset further out
            assert (await call(http, "GET", url, headers=headers))[0] == 429
        await asyncio.sleep(0.7)
        statuses = [(await call(http, "GET", url, headers=headers))[0] for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


async def test_all_tokens_of_a_tenant_share_the_budget(http: aiohttp.ClientSession) -> None:
    async with SandboxServer(receipts=5, tenant_limit=RateTier(4, 30.0)) as sb:
        first, second = await token_headers(http, sb), await token_headers(http, sb)
        url = f"{sb.base_url}/receipts"
        statuses = [(await call(http, "GET", url, headers=h))[0] for h in (first, second) * 3]
    assert statuses == [200, 200, 200, 200, 429, 429]


async def test_auth_calls_do_not_spend_tenant_budget(http: aiohttp.ClientSession) -> None:
    async with SandboxServer(receipts=5, tenant_limit=RateTier(2, 30.0)) as sb:
        for _ in range(4):
            headers = await token_headers(http, sb)
        status, answer_headers, _ = await call(
            http, "GET", f"{sb.base_url}/receipts", headers=headers
        )
    assert status == 200
    assert quota(answer_headers) == (2, 1, 0)


# --- tier 2: failed requests per IP ------------------------------------------------------


async def test_flood_tier_counts_only_failed_responses(http: aiohttp.ClientSession) -> None:
    async with SandboxServer(receipts=5, flood_limit=RateTier(3, 30.0), tenant_limit=None) as sb:
        headers = await token_headers(http, sb)
        ok = [
            (await call(http, "GET", f"{sb.base_url}/receipts", headers=headers)) for _ in range(6)
        ]
        assert [status for status, _, _ in ok] == [200] * 6
        assert quota(ok[-1][1]) == (3, 3, 0)
        failed = [
            await call(http, "GET", f"{sb.base_url}/receipts/0", headers=headers) for _ in range(3)
        ]
        assert [quota(h)[1] for _, h, _ in failed] == [2, 1, 0]
        status, limited, body = await call(http, "GET", f"{sb.base_url}/receipts", headers=headers)
    assert (status, body["error"]) == (429, "rate_limited")
    assert limited["Retry-After"] == limited["RateLimit-Reset"]


async def test_flood_tier_runs_before_token_validation(http: aiohttp.ClientSession) -> None:
    async with SandboxServer(receipts=5, flood_limit=RateTier(2, 30.0), tenant_limit=None) as sb:
        url = f"{sb.base_url}/receipts"
        first = [await call(http, "GET", url, headers={"x-token": "bad"}) for _ in range(3)]
        headers = await token_headers(http, sb)  # /auth is not behind tier 2
        status, _, _ = await call(http, "GET", url, headers=headers)
    assert [s for s, _, _ in first] == [401, 401, 429]
    assert status == 429


async def test_tenant_429s_are_failures_for_the_flood_tier(http: aiohttp.ClientSession) -> None:
    tiers: dict[str, Any] = {"flood_limit": RateTier(3, 30.0), "tenant_limit": RateTier(1, 30.0)}
    async with SandboxServer(receipts=5, **tiers) as sb:
        headers = await token_headers(http, sb)
        url = f"{sb.base_url}/receipts"
        statuses = [(await call(http, "GET", url, headers=headers))[0] for _ in range(5)]
        _, limited, _ = await call(http, "GET", url, headers={"x-token": "bad"})
    assert statuses == [200, 429, 429, 429, 429]
    assert quota(limited)[:2] == (3, 0)


async def test_headers_describe_the_most_constrained_tier(http: aiohttp.ClientSession) -> None:
    tiers: dict[str, Any] = {"flood_limit": RateTier(2, 30.0), "tenant_limit": RateTier(10, 30.0)}
    async with SandboxServer(receipts=5, **tiers) as sb:
        headers = await token_headers(http, sb)
        _, first, _ = await call(http, "GET", f"{sb.base_url}/receipts/0", headers=headers)
        _, second, _ = await call(http, "GET", f"{sb.base_url}/receipts/0", headers=headers)
    assert quota(first) == (2, 1, 0)  # flood: 1 left; tenant: 9 left
    assert quota(second)[:2] == (2, 0)


async def test_unauthenticated_failures_carry_flood_headers(http: aiohttp.ClientSession) -> None:
    async with SandboxServer(receipts=5) as sb:
        status, headers, _ = await call(http, "GET", f"{sb.base_url}/receipts")
    assert status == 401
    assert quota(headers) == (600, 599, 0)


# --- tier 1: POST /auth per IP -----------------------------------------------------------


async def test_auth_tier_answers_429_with_headers(http: aiohttp.ClientSession) -> None:
    async with SandboxServer(receipts=1, auth_limit=RateTier(3, 30.0)) as sb:
        url = f"{sb.base_url}/auth"
        bodies = [sb.credentials.auth_body(), {"client_id": "x"}, sb.credentials.auth_body()]
        statuses = [(await call(http, "POST", url, json=body))[0] for body in bodies]
        status, headers, body = await call(http, "POST", url, json=sb.credentials.auth_body())
    assert statuses == [200, 400, 200]  # failed auth calls count too
    assert (status, body["error"]) == (429, "rate_limited")
    limit, remaining, reset = quota(headers)
    assert (limit, remaining) == (3, 0)
    assert 1 <= reset <= 30
    assert headers["Retry-After"] == str(reset)


async def test_disabled_tiers_send_no_headers_and_never_429(http: aiohttp.ClientSession) -> None:
    limits: dict[str, Any] = {"auth_limit": None, "flood_limit": None, "tenant_limit": None}
    async with SandboxServer(receipts=1, **limits) as sb:
        for _ in range(70):
            headers = await token_headers(http, sb)
        status, answer_headers, _ = await call(
            http, "GET", f"{sb.base_url}/receipts", headers=headers
        )
    assert status == 200
    assert not set(RATE_HEADERS) & set(answer_headers)


# --- the sliding window itself -----------------------------------------------------------


def test_sliding_window_frees_slots_as_events_age() -> None:
    window = SlidingWindow(RateTier(2, 10.0))
    window.record(0.0)
    window.record(4.0)
    assert window.full(5.0)
    assert window.quota(5.0) == Quota(limit=2, remaining=0, reset=5)
    assert window.quota(9.5) == Quota(limit=2, remaining=0, reset=1)  # ceil(0.5)
    assert not window.full(10.0)
    assert window.quota(10.0) == Quota(limit=2, remaining=1, reset=0)
    assert window.quota(14.0) == Quota(limit=2, remaining=2, reset=0)


def test_most_constrained_prefers_fewest_remaining_then_longest_reset() -> None:
    a = Quota(limit=300, remaining=5, reset=0)
    b = Quota(limit=600, remaining=0, reset=3)
    c = Quota(limit=60, remaining=0, reset=9)
    assert most_constrained([a, b]) == b
    assert most_constrained([a, b, c]) == c
    assert most_constrained([]) is None


@pytest.mark.parametrize(
    ("requests", "window"), [(0, 60.0), (-1, 60.0), (5, 0), (5, -1.0), (True, 1.0)]
)
def test_rate_tier_rejects_non_positive_values(requests: Any, window: Any) -> None:
    with pytest.raises(ClientValueError):
        RateTier(requests, window)
