"""The sandbox's scripted fault plan, seen through raw aiohttp requests."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from typing import Any

import aiohttp
import orjson
import pytest

from clopos_async import ClientValueError
from clopos_async.testing import RateTier, SandboxServer
from tests.sandbox_http import mint_token

CLOSE = "/receipts/*/close"
RATE_HEADERS = ("RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset")


@pytest.fixture
async def sandbox() -> AsyncIterator[SandboxServer]:
    async with SandboxServer(receipts=60, seed=11, open_ratio=0.5) as server:
        yield server


async def get(http: aiohttp.ClientSession, url: str, **kwargs: Any) -> tuple[int, bytes]:
    async with http.get(url, **kwargs) as response:
        return response.status, await response.read()


async def post_close(
    http: aiohttp.ClientSession, sb: SandboxServer, headers: dict[str, str], receipt_id: int
) -> tuple[int, Any]:
    total = sb.receipt(receipt_id)["total"]
    body = {"payment_methods": [{"id": 1, "name": "Cash", "amount": total}]}
    url = f"{sb.base_url}/receipts/{receipt_id}/close"
    async with http.post(url, json=body, headers=headers) as response:
        return response.status, await response.json()


def statuses(sb: SandboxServer, method: str, path: str) -> list[int]:
    return [entry.status for entry in sb.requests(method, path)]


# --- status ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "slug"),
    [(500, "internal_error"), (502, "bad_gateway"), (503, "service_unavailable"),
     (504, "gateway_timeout"), (400, "invalid_parameter"), (403, "forbidden")],
)  # fmt: skip
async def test_status_fault_answers_the_error_envelope_with_a_default_slug(
    sandbox: SandboxServer,
    http: aiohttp.ClientSession,
    headers: dict[str, str],
    status: int,
    slug: str,
) -> None:
    fault = sandbox.fault("/receipts", status=status)
    code, body = await get(http, f"{sandbox.base_url}/receipts", headers=headers)
    answer = orjson.loads(body)
    assert code == status
    assert answer["success"] is False
    assert answer["error"] == slug
    assert isinstance(answer["message"], str)
    assert fault.hits == 1


async def test_status_fault_takes_error_message_and_headers(
    sandbox: SandboxServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    sandbox.fault(
        "/receipts/*", status=409, error="duplicate", message="Boom", headers={"X-A": "1"}
    )
    async with http.get(f"{sandbox.base_url}/receipts/3", headers=headers) as response:
        assert response.status == 409
        assert response.headers["X-A"] == "1"
        assert await response.json() == {"success": False, "error": "duplicate", "message": "Boom"}


async def test_status_fault_does_not_run_the_endpoint(
    sandbox: SandboxServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    receipt_id = sandbox.receipt_ids(status=1)[0]
    sandbox.fault(CLOSE, status=503)
    status, _ = await post_close(http, sandbox, headers, receipt_id)
    assert status == 503
    assert sandbox.receipt(receipt_id)["status"] == 1
    assert sandbox.closes == []


async def test_injected_429_carries_rate_limit_headers_and_overrides(
    sandbox: SandboxServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    sandbox.fault("/receipts", status=429, attempts=[1])
    sandbox.fault("/receipts", status=429, attempts=[2], headers={"RateLimit-Reset": "7"})
    async with http.get(f"{sandbox.base_url}/receipts", headers=headers) as response:
        assert response.status == 429
        assert (await response.json())["error"] == "rate_limited"
        assert response.headers["RateLimit-Limit"] == "300"
        assert response.headers["RateLimit-Remaining"] == "0"
        assert response.headers["RateLimit-Reset"] == response.headers["Retry-After"] == "1"
    async with http.get(f"{sandbox.base_url}/receipts", headers=headers) as response:
        assert response.headers["RateLimit-Reset"] == "7"
    assert [entry.rate_limited for entry in sandbox.requests("GET", "/receipts")] == [True, True]


async def test_an_explicit_429_header_set_is_sent_exactly(http: aiohttp.ClientSession) -> None:
    scripted = {"RateLimit-Limit": "300", "RateLimit-Remaining": "0", "RateLimit-Reset": "1"}
    async with SandboxServer(receipts=5, tenant_limit=RateTier(50, 30.0)) as sb:
        sb.fault("/receipts/*", status=429, headers=scripted)
        headers = {"x-token": await mint_token(http, sb)}
        async with http.get(f"{sb.base_url}/receipts/1", headers=headers) as response:
            assert response.status == 429
            sent = {name: response.headers[name] for name in scripted}
            assert response.headers["Retry-After"] == "1"
    assert sent == scripted  # the scripted values beat the tier's own (limit 50, 49 left)


# --- injected answers pass the gateway (API §7) ------------------------------------------


def quota(headers: Mapping[str, str]) -> tuple[int, ...]:
    return tuple(int(headers[name]) for name in RATE_HEADERS)


async def test_injected_answers_carry_the_rate_limit_headers(http: aiohttp.ClientSession) -> None:
    async with SandboxServer(receipts=5, tenant_limit=RateTier(50, 30.0)) as sb:
        sb.fault("/receipts/1", status=500)
        sb.fault("/receipts/2", success_false=True, headers={"X-A": "1"})
        headers = {"x-token": await mint_token(http, sb)}
        seen = []
        for receipt_id in (1, 2):
            url = f"{sb.base_url}/receipts/{receipt_id}"
            async with http.get(url, headers=headers) as response:
                seen.append((response.status, quota(response.headers)))
                assert "Retry-After" not in response.headers
        assert response.headers["X-A"] == "1"
    assert seen == [(500, (50, 49, 0)), (200, (50, 48, 0))]


@pytest.mark.parametrize(
    ("outcome", "token"),
    [({"status": 503}, None), ({"status": 429}, "bad"), ({"success_false": True}, None)],
)
async def test_a_fault_needs_a_valid_token_like_the_endpoint(
    sandbox: SandboxServer,
    http: aiohttp.ClientSession,
    outcome: dict[str, Any],
    token: str | None,
) -> None:
    fault = sandbox.fault("/receipts", **outcome)
    headers = {} if token is None else {"x-token": token}
    async with http.get(f"{sandbox.base_url}/receipts", headers=headers) as response:
        status, body = response.status, await response.json()
        assert quota(response.headers)[:2] == (600, 599)  # tier 2 counted the 401
    assert (status, body["error"]) == (401, "unauthorized")
    assert (fault.matched, fault.hits) == (1, 1)  # the attempt still counts


async def test_injected_errors_count_toward_the_flood_guard(http: aiohttp.ClientSession) -> None:
    async with SandboxServer(receipts=5, flood_limit=RateTier(3), tenant_limit=None) as sb:
        fault = sb.fault("/receipts", status=500)
        headers = {"x-token": await mint_token(http, sb)}
        url = f"{sb.base_url}/receipts"
        codes = [(await get(http, url, headers=headers))[0] for _ in range(4)]
        sb.faults.remove(fault)
        code, body = await get(http, url, headers=headers)
    assert codes == [500, 500, 500, 429]
    assert (code, orjson.loads(body)["error"]) == (429, "rate_limited")


async def test_injected_successes_do_not_count_toward_the_flood_guard(
    http: aiohttp.ClientSession,
) -> None:
    async with SandboxServer(receipts=5, flood_limit=RateTier(1), tenant_limit=None) as sb:
        sb.fault("/receipts", success_false=True)
        headers = {"x-token": await mint_token(http, sb)}
        url = f"{sb.base_url}/receipts"
        codes = [(await get(http, url, headers=headers))[0] for _ in range(3)]
    assert codes == [200, 200, 200]


async def test_injected_answers_spend_tenant_budget(http: aiohttp.ClientSession) -> None:
    async with SandboxServer(receipts=5, tenant_limit=RateTier(2, 30.0)) as sb:
        fault = sb.fault("/receipts", status=503)
        headers = {"x-token": await mint_token(http, sb)}
        url = f"{sb.base_url}/receipts"
        codes = [(await get(http, url, headers=headers))[0] for _ in range(3)]
    assert codes == [503, 503, 429]
    assert fault.hits == 3


async def test_a_fault_on_a_path_without_a_route_is_still_404(
    sandbox: SandboxServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    sandbox.fault("/waiter-call", status=500)
    code, body = await get(http, f"{sandbox.base_url}/waiter-call", headers=headers)
    assert (code, orjson.loads(body)["error"]) == (404, "not_found")


# --- matching and attempts ---------------------------------------------------------------


async def test_attempts_select_the_ordinal_matching_requests(
    sandbox: SandboxServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    fault = sandbox.fault("/receipts/*", method="GET", attempts={2, 4}, status=500)
    for receipt_id in range(1, 6):
        await get(http, f"{sandbox.base_url}/receipts/{receipt_id}", headers=headers)
    await get(http, f"{sandbox.base_url}/receipts", headers=headers)  # another path: not counted
    assert statuses(sandbox, "GET", "/receipts/*") == [200, 500, 200, 500, 200]
    assert (fault.matched, fault.hits) == (5, 2)


async def test_method_restricts_a_fault(
    sandbox: SandboxServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    receipt_id = sandbox.receipt_ids(status=1)[0]
    sandbox.fault("/receipts/*", method="patch", status=500)
    code, _ = await get(http, f"{sandbox.base_url}/receipts/{receipt_id}", headers=headers)
    assert code == 200
    url = f"{sandbox.base_url}/receipts/{receipt_id}"
    async with http.patch(url, json={"lock": True}, headers=headers) as response:
        assert response.status == 500


async def test_path_patterns_are_fnmatch_on_the_path_under_the_api_root(
    sandbox: SandboxServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    sandbox.fault("/receipts/1?", status=502)
    for receipt_id in (1, 12, 123):
        await get(http, f"{sandbox.base_url}/receipts/{receipt_id}", headers=headers)
    assert statuses(sandbox, "GET", "/receipts/*") == [200, 502, 404]


async def test_the_first_fault_that_fires_wins_and_every_match_is_counted(
    sandbox: SandboxServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    first = sandbox.fault("/receipts", attempts=[2], status=502)
    second = sandbox.fault("/receipts", status=504)
    for _ in range(3):
        await get(http, f"{sandbox.base_url}/receipts", headers=headers)
    assert statuses(sandbox, "GET", "/receipts") == [504, 502, 504]
    assert (first.matched, first.hits, second.matched, second.hits) == (3, 1, 3, 2)


async def test_auth_can_be_faulted(sandbox: SandboxServer, http: aiohttp.ClientSession) -> None:
    sandbox.fault("/auth", attempts=[1], status=500)
    url = f"{sandbox.base_url}/auth"
    for expected in (500, 200):
        async with http.post(url, json=sandbox.credentials.auth_body()) as response:
            assert response.status == expected


async def test_faults_clear_and_iterate(
    sandbox: SandboxServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    one = sandbox.fault("/receipts", status=500)
    two = sandbox.fault("/auth", status=500)
    assert list(sandbox.faults) == [one, two]
    assert len(sandbox.faults) == 2
    sandbox.faults.clear()
    code, _ = await get(http, f"{sandbox.base_url}/receipts", headers=headers)
    assert code == 200
    assert list(sandbox.faults) == []


async def test_reset_stats_zeroes_hits_but_keeps_attempt_counting(
    sandbox: SandboxServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    fault = sandbox.fault("/receipts", attempts=[1], status=500)
    await get(http, f"{sandbox.base_url}/receipts", headers=headers)
    sandbox.reset_stats()
    assert (fault.hits, sandbox.log, sandbox.closes) == (0, [], [])
    code, _ = await get(http, f"{sandbox.base_url}/receipts", headers=headers)
    assert code == 200
    assert fault.matched == 2


# --- connection resets -------------------------------------------------------------------


async def test_reset_before_drops_the_connection_without_closing_the_receipt(
    sandbox: SandboxServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    receipt_id = sandbox.receipt_ids(status=1)[0]
    sandbox.fault(CLOSE, reset="before", attempts=[1])
    with pytest.raises((aiohttp.ServerDisconnectedError, aiohttp.ClientOSError)):
        await post_close(http, sandbox, headers, receipt_id)
    assert sandbox.receipt(receipt_id)["status"] == 1
    assert sandbox.closes == []
    assert statuses(sandbox, "POST", CLOSE) == [0]
    status, _ = await post_close(http, sandbox, headers, receipt_id)  # a retry goes through
    assert status == 200
    assert [c.receipt_id for c in sandbox.closes] == [receipt_id]


async def test_reset_after_applies_the_close_exactly_once_and_loses_the_answer(
    sandbox: SandboxServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    receipt_id = sandbox.receipt_ids(status=1)[0]
    sandbox.fault(CLOSE, reset="after", attempts=[1])
    with pytest.raises((aiohttp.ServerDisconnectedError, aiohttp.ClientOSError)):
        await post_close(http, sandbox, headers, receipt_id)
    assert sandbox.receipt(receipt_id)["status"] == 2
    assert [c.receipt_id for c in sandbox.closes] == [receipt_id]
    status, body = await post_close(http, sandbox, headers, receipt_id)  # a blind retry
    assert (status, body["message"]) == (400, "Receipt is not open")
    assert len(sandbox.closes) == 1
    assert statuses(sandbox, "POST", CLOSE) == [0, 400]


async def test_reset_on_a_get_every_time_reaches_the_caller(
    sandbox: SandboxServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    # aiohttp itself retries an idempotent request once after a disconnect
    # (RFC 9112 §9.3.1), so a GET dropped on every attempt is what a caller sees.
    sandbox.fault("/receipts", reset="before")
    with pytest.raises((aiohttp.ServerDisconnectedError, aiohttp.ClientOSError)):
        await get(http, f"{sandbox.base_url}/receipts", headers=headers)
    assert set(statuses(sandbox, "GET", "/receipts")) == {0}


async def test_the_server_keeps_serving_after_a_reset(
    sandbox: SandboxServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    sandbox.fault("/receipts/1", reset="after", attempts=[1, 2])
    with pytest.raises((aiohttp.ServerDisconnectedError, aiohttp.ClientOSError)):
        await get(http, f"{sandbox.base_url}/receipts/1", headers=headers)
    code, _ = await get(http, f"{sandbox.base_url}/receipts/1", headers=headers)
    assert code == 200


# --- bodies --------------------------------------------------------------------------------


async def test_malformed_runs_the_endpoint_and_answers_200_with_non_json(
    sandbox: SandboxServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    receipt_id = sandbox.receipt_ids(status=1)[0]
    sandbox.fault(CLOSE, malformed=True)
    total = sandbox.receipt(receipt_id)["total"]
    url = f"{sandbox.base_url}/receipts/{receipt_id}/close"
    body = {"payment_methods": [{"id": 1, "name": "Cash", "amount": total}]}
    async with http.post(url, json=body, headers=headers) as response:
        raw = await response.read()
        assert response.status == 200
    with pytest.raises(orjson.JSONDecodeError):
        orjson.loads(raw)
    assert sandbox.receipt(receipt_id)["status"] == 2


async def test_malformed_list_page_is_not_json(
    sandbox: SandboxServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    sandbox.fault("/receipts", malformed=True)
    code, raw = await get(http, f"{sandbox.base_url}/receipts", headers=headers)
    assert code == 200
    assert raw.startswith(b'{"success":true')
    with pytest.raises(orjson.JSONDecodeError):
        orjson.loads(raw)


async def test_success_false_answers_http_200_with_the_error_envelope(
    sandbox: SandboxServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    sandbox.fault("/receipts", success_false=True, message="Integrator is in test mode")
    sandbox.fault("/receipts/*", success_false=True, error="upstream")
    code, raw = await get(http, f"{sandbox.base_url}/receipts", headers=headers)
    assert code == 200
    assert orjson.loads(raw) == {
        "success": False,
        "error": "invalid_parameter",
        "message": "Integrator is in test mode",
    }
    code, raw = await get(http, f"{sandbox.base_url}/receipts/1", headers=headers)
    assert (code, orjson.loads(raw)["error"]) == (200, "upstream")


async def test_expire_token_fault_expires_tokens_before_handling(
    sandbox: SandboxServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    sandbox.fault("/receipts", expire_token=True, attempts=[2])
    assert (await get(http, f"{sandbox.base_url}/receipts", headers=headers))[0] == 200
    code, raw = await get(http, f"{sandbox.base_url}/receipts", headers=headers)
    assert (code, orjson.loads(raw)["message"]) == (401, "Token expired")
    code, _ = await get(http, f"{sandbox.base_url}/receipts/1", headers=headers)
    assert code == 401  # every token issued so far, not just for that path


# --- timing --------------------------------------------------------------------------------


async def test_delay_holds_the_answer_past_a_client_timeout(
    sandbox: SandboxServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    sandbox.fault("/receipts/2", delay=0.6, attempts=[1])
    timeout = aiohttp.ClientTimeout(total=0.15)
    with pytest.raises(asyncio.TimeoutError):
        await get(http, f"{sandbox.base_url}/receipts/2", headers=headers, timeout=timeout)
    code, _ = await get(http, f"{sandbox.base_url}/receipts/2", headers=headers, timeout=timeout)
    assert code == 200


async def test_a_request_is_logged_on_arrival_and_updated_when_answered(
    sandbox: SandboxServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    sandbox.fault("/receipts/4", delay=0.3)
    task = asyncio.ensure_future(get(http, f"{sandbox.base_url}/receipts/4", headers=headers))
    for _ in range(200):
        if sandbox.requests("GET", "/receipts/4"):
            break
        await asyncio.sleep(0.005)
    assert statuses(sandbox, "GET", "/receipts/4") == [0]  # still being handled
    assert sandbox.max_in_flight == 1
    assert (await task)[0] == 200
    assert statuses(sandbox, "GET", "/receipts/4") == [200]


async def test_delay_combines_with_a_status(
    sandbox: SandboxServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    sandbox.fault("/receipts", delay=0.05, status=504)
    code, _ = await get(http, f"{sandbox.base_url}/receipts", headers=headers)
    assert code == 504
    assert sandbox.requests("GET", "/receipts")[0].elapsed > 0


async def test_latency_overlaps_concurrent_requests(
    sandbox: SandboxServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    sandbox.latency = 0.4
    urls = [f"{sandbox.base_url}/receipts/{n}" for n in range(1, 6)]
    results = await asyncio.gather(*(get(http, url, headers=headers) for url in urls))
    assert [code for code, _ in results] == [200] * 5
    assert sandbox.max_in_flight == 5
    sandbox.reset_stats()
    assert sandbox.max_in_flight == 0


# --- validation ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs",
    [
        {"path": "receipts"},
        {"path": "/receipts", "status": 200},
        {"path": "/receipts", "status": 600},
        {"path": "/receipts", "status": 500, "malformed": True},
        {"path": "/receipts", "reset": "during"},
        {"path": "/receipts", "attempts": [0]},
        {"path": "/receipts", "attempts": []},
        {"path": "/receipts", "delay": -1},
        {"path": "/receipts", "delay": float("nan")},
        {"path": "/receipts", "malformed": "yes"},
        {"path": "/receipts", "expire_token": 1},
        {"path": "/receipts", "status": 400, "error": 5},
        {"path": "/receipts", "status": 400, "message": ["x"]},
    ],
)
async def test_bad_fault_arguments_raise_client_value_error(
    sandbox: SandboxServer, kwargs: dict[str, Any]
) -> None:
    path = kwargs.pop("path")
    with pytest.raises(ClientValueError):
        sandbox.fault(path, **kwargs)
    assert len(sandbox.faults) == 0


@pytest.mark.parametrize("latency", [-0.1, "1", True])
async def test_a_bad_latency_raises_and_keeps_the_old_one(
    sandbox: SandboxServer, latency: object
) -> None:
    sandbox.latency = 0.01
    with pytest.raises(ClientValueError, match=r"latency=.* is not allowed"):
        sandbox.latency = latency  # type: ignore[assignment]
    assert sandbox.latency == 0.01
