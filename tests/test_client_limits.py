"""Deadlines, token failures and constructor checks, end to end against the sandbox."""

from __future__ import annotations

import logging
import re
import socket

import pytest

from clopos_async import (
    APIConnectionError,
    APITimeoutError,
    ClientValueError,
    CloposClient,
    PaymentMethod,
    RetryPolicy,
    ServerError,
)
from clopos_async.testing import SandboxServer

FAST = RetryPolicy(max_attempts=3, base=0.01, cap=0.02)


async def test_failing_auth_is_retried_by_its_own_policy_only(sandbox: SandboxServer) -> None:
    sandbox.fault("/auth", status=503)
    async with sandbox.client(retry=FAST) as clopos:
        with pytest.raises(ServerError):
            await clopos.receipts.get(1)
    assert len(sandbox.requests("POST", "/auth")) == 3  # not 3 x 3
    assert sandbox.requests("GET", "/receipts/*") == []
    assert clopos.stats.retries == 2


async def test_waiting_for_a_slow_token_is_bounded_by_the_deadline(sandbox: SandboxServer) -> None:
    sandbox.fault("/auth", delay=3.0)
    async with sandbox.client(retry=FAST) as clopos:
        with pytest.raises(APITimeoutError) as info:
            await clopos.with_options(deadline=0.3).receipts.get(1)
    assert info.value.request_sent is False
    assert sandbox.requests("GET", "/receipts/*") == []


async def test_close_with_failing_auth_sends_no_close_and_no_reconcile(
    sandbox: SandboxServer,
) -> None:
    sandbox.fault("/auth", status=500)
    async with sandbox.client(retry=FAST) as clopos:
        with pytest.raises(ServerError):
            await clopos.receipts.close(5, [PaymentMethod(id=1, name="Cash", amount=1)])
    assert sandbox.requests("*", "/receipts*") == []


async def test_close_to_a_refused_port_retries_then_fails_typed() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    async with CloposClient(token="t", base_url=f"http://127.0.0.1:{port}", retry=FAST) as c:
        with pytest.raises(APIConnectionError) as info:
            await c.receipts.close(5, [PaymentMethod(id=1, name="Cash", amount=1)])
    assert info.value.request_sent is False
    assert c.stats.requests == 6  # 3 POST attempts (surely unsent), then 3 reconciling GETs


async def test_get_many_defaults_to_max_concurrency_even_above_64(
    sandbox: SandboxServer,
) -> None:
    async with sandbox.client(max_concurrency=100) as clopos:
        got = [r.id async for r in clopos.receipts.get_many([3, 1, 2])]
    assert got == [3, 1, 2]


async def test_one_debug_line_per_attempt(
    sandbox: SandboxServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="clopos_async")
    sandbox.fault("/receipts/1", attempts=[1], status=503)
    async with sandbox.client(retry=FAST) as clopos:
        await clopos.receipts.get(1)
    lines = [r.getMessage() for r in caplog.records if "/receipts/1" in r.getMessage()]
    pattern = re.compile(r"GET /receipts/1 -> \d+ attempt=\d elapsed_ms=[\d.]+")
    attempts = [m for m in lines if pattern.fullmatch(m)]
    assert [a.split()[3] for a in attempts] == ["503", "200"]
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "503" in warnings[0].getMessage()


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"rate_limit": 5}, "rate_limit"),
        ({"retry": "x"}, "retry"),
    ],
)
def test_config_objects_are_type_checked(kwargs: dict[str, object], name: str) -> None:
    with pytest.raises(ClientValueError, match=name):
        CloposClient(token="t", **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"max_attempts": 2.5}, "max_attempts"),
        ({"max_attempts": True}, "max_attempts"),
        ({"deadline": 0}, "deadline"),
        ({"base": -1}, "base"),
        ({"cap": float("nan")}, "cap"),
    ],
)
def test_retry_policy_values_are_checked(kwargs: dict[str, object], name: str) -> None:
    with pytest.raises(ClientValueError, match=name):
        RetryPolicy(**kwargs)  # type: ignore[arg-type]
