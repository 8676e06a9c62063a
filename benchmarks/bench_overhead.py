"""Per-request overhead: ``client.request`` vs bare aiohttp + ``orjson.loads``, same page.

Run ``python -m benchmarks.bench_overhead`` (``--quick`` for fewer rounds).
The sandbox serves from a child process (its CPU would otherwise dominate both
sides) with every rate-limit tier off. The SDK keeps its limiter in the path with
a budget the run never reaches, as a user's client would. Both sides fetch the
same 50-receipt page sequentially on their own keep-alive session; rounds
alternate A/B and B/A, and the figure per side is the median of the rounds'
mean microseconds per request.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Awaitable, Callable, Sequence

import aiohttp
import attrs
import orjson

from benchmarks._report import Measure, bench_main
from benchmarks._sandbox_process import SandboxProcess
from clopos_async import CloposClient, Credentials, RateLimit

#: One default-sized receipts page, in the bracket encoding (API §8).
PAGE_PARAMS = (("page", "1"), ("limit", "50"), ("sort[0]", "created_at"), ("sort[1]", "-1"))
RECEIPTS = 500
GOAL = 1.10
UNLIMITED = RateLimit(requests=10**9, window=60.0, auth_requests=10**9)

Fetch = Callable[[], Awaitable[object]]


@attrs.frozen(kw_only=True, slots=True)
class Plan:
    """How many warm-up requests, rounds, and requests per side per round."""

    warm_up: int
    rounds: int
    per_round: int


FULL = Plan(warm_up=100, rounds=60, per_round=30)
QUICK = Plan(warm_up=30, rounds=20, per_round=15)


class BareClient:
    """The baseline: one aiohttp session, one token, ``get`` + ``orjson.loads``."""

    def __init__(self, session: aiohttp.ClientSession, base_url: str) -> None:
        self._session = session
        self._base_url = base_url
        self._url = f"{base_url}/receipts"
        self._headers: dict[str, str] = {}

    async def log_in(self, credentials: Credentials | None) -> None:
        """``POST /auth`` once (API §3.1); the token goes in ``x-token`` (API §4)."""
        assert credentials is not None, "the sandbox is not running"
        body = orjson.dumps(credentials.auth_body())
        headers = {"Content-Type": "application/json"}
        url = f"{self._base_url}/auth"
        async with self._session.post(url, data=body, headers=headers) as reply:
            self._headers = {"x-token": orjson.loads(await reply.read())["token"]}

    async def fetch_page(self, params: Sequence[tuple[str, str]] = PAGE_PARAMS) -> object:
        async with self._session.get(self._url, params=params, headers=self._headers) as reply:
            return orjson.loads(await reply.read())


async def _mean_us(fetch: Fetch, count: int) -> float:
    started = time.perf_counter()
    for _ in range(count):
        await fetch()
    return (time.perf_counter() - started) / count * 1e6


@attrs.define(kw_only=True, slots=True)
class Rounds:
    """Per-round mean µs/request of each side."""

    sdk: list[float] = attrs.field(factory=list)
    bare: list[float] = attrs.field(factory=list)


async def interleave(sdk: Fetch, bare: Fetch, plan: Plan) -> Rounds:
    """Warm both sides up, then alternate which side goes first in each round."""
    await _mean_us(sdk, plan.warm_up)
    await _mean_us(bare, plan.warm_up)
    rounds = Rounds()
    for index in range(plan.rounds):
        if index % 2:
            rounds.sdk.append(await _mean_us(sdk, plan.per_round))
            rounds.bare.append(await _mean_us(bare, plan.per_round))
        else:
            rounds.bare.append(await _mean_us(bare, plan.per_round))
            rounds.sdk.append(await _mean_us(sdk, plan.per_round))
    return rounds


def to_measure(rounds: Rounds, plan: Plan, sdk_requests: int) -> Measure:
    sdk_us = statistics.median(rounds.sdk)
    bare_us = statistics.median(rounds.bare)
    ratio = sdk_us / bare_us
    paired = statistics.median(s / b for s, b in zip(rounds.sdk, rounds.bare, strict=True))
    return Measure(
        key="overhead",
        label="per-request: client.request vs aiohttp+orjson",
        ours=sdk_us,
        baseline=bare_us,
        unit="µs",
        ratio=ratio,
        goal=f"<= {GOAL:.2f}",
        passed=ratio <= GOAL,
        note=f"+{sdk_us - bare_us:.0f} µs/request; median of {plan.rounds} rounds",
        details={
            "sdk_us": sdk_us,
            "bare_us": bare_us,
            "added_us": sdk_us - bare_us,
            "paired_ratio_median": paired,
            "rounds": plan.rounds,
            "requests_per_round": plan.per_round,
            "sdk_requests": sdk_requests,
        },
    )


async def measure(quick: bool = False) -> list[Measure]:
    """Run the A/B rounds against a child-process sandbox."""
    plan = QUICK if quick else FULL
    async with (
        SandboxProcess(receipts=RECEIPTS) as sandbox,
        sandbox.client(rate_limit=UNLIMITED) as client,
        aiohttp.ClientSession() as session,
    ):
        bare = BareClient(session, sandbox.base_url)
        await bare.log_in(sandbox.credentials)
        rounds = await interleave(_sdk_fetch(client), bare.fetch_page, plan)
        sdk_requests = client.stats.requests
    return [to_measure(rounds, plan, sdk_requests)]


def _sdk_fetch(client: CloposClient) -> Fetch:
    async def fetch_page() -> object:
        return await client.request("GET", "/receipts", params=PAGE_PARAMS)

    return fetch_page


def main(argv: list[str] | None = None) -> int:
    return bench_main(measure, argv, doc=__doc__, quick_help="fewer rounds, noisier figures")


if __name__ == "__main__":
    sys.exit(main())
