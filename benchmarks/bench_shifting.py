"""Re-read benchmark: extra page requests a sweep makes when rows shift under it.

Run ``python -m benchmarks.bench_shifting``. An in-process sandbox (its hooks
change data right after a given page is served) holds ``RECEIPTS`` receipts;
each scenario sweeps with ``limit=PAGE_LIMIT`` at ``concurrency`` 1, 4 and 8 and
counts ``GET /receipts`` requests against the static sweep (``ceil(N/limit)``):

* ``inserts``: newest first, page 2 answered late, 10% new receipts arrive
  after page 3 is served (rows move toward later pages);
* ``close_loop``: ``status=1``, every receipt yielded is closed (rows move
  toward earlier pages, all of them);
* ``others_close``: ``status=1``, another party closes 15% of the open
  receipts in three batches mid-sweep.

Figures are exact counts, not timings: requests (worst over the concurrencies)
and receipts lost (must be 0).
"""

from __future__ import annotations

import asyncio
import functools
import math
import random
import sys
from collections.abc import Callable, Mapping
from decimal import Decimal

from benchmarks._report import Measure, bench_main
from clopos_async import CloposClient, PaymentMethod, RateLimit
from clopos_async.testing import SandboxServer

RECEIPTS = 1000
PAGE_LIMIT = 50
CONCURRENCIES = (1, 4, 8)
UNLIMITED = RateLimit(requests=10**9, window=60.0, auth_requests=10**9)

def _on_page(sandbox: SandboxServer, page: int, change: Callable[[], object]) -> None:
    pending = [page]

    def after(method: str, path: str, query: Mapping[str, str]) -> None:
        if path == "/receipts" and query.get("page") == str(page) and pending:
            pending.clear()
            change()

    sandbox.on_request(after=after)


def _late_page(sandbox: SandboxServer, page: int, seconds: float) -> None:
    pending = [page]

    async def before(method: str, path: str, query: Mapping[str, str]) -> None:
        if path == "/receipts" and query.get("page") == str(page) and pending:
            pending.clear()
            await asyncio.sleep(seconds)

    sandbox.on_request(before=before)


async def inserts(sandbox: SandboxServer, client: CloposClient, concurrency: int) -> int:
    """Receipts lost by a newest-first sweep while 10% new ones arrive."""
    before = set(sandbox.receipt_ids())
    _late_page(sandbox, 2, 0.05)
    _on_page(sandbox, 3, lambda: sandbox.add_receipts(RECEIPTS // 10))
    got = {r.id async for r in client.receipts.list(limit=PAGE_LIMIT, concurrency=concurrency)}
    return len(before - got)


async def close_loop(sandbox: SandboxServer, client: CloposClient, concurrency: int) -> int:
    """Open receipts the close loop left open."""
    pager = client.receipts.list(status=1, limit=PAGE_LIMIT, concurrency=concurrency)
    async for receipt in pager:
        amount = receipt.total or Decimal(0)
        await client.receipts.close(receipt, [PaymentMethod(id=1, name="Cash", amount=amount)])
    return len(sandbox.receipt_ids(status=1))


async def others_close(sandbox: SandboxServer, client: CloposClient, concurrency: int) -> int:
    """Receipts that stayed open but the ``status=1`` sweep missed."""
    open_ids = sandbox.receipt_ids(status=1)
    closed = random.Random(concurrency).sample(open_ids, len(open_ids) * 15 // 100)
    third = len(closed) // 3
    batches = (closed[:third], closed[third : 2 * third], closed[2 * third :])
    for page, batch in zip((2, 4, 6), batches, strict=True):
        _on_page(sandbox, page, functools.partial(_close_directly, sandbox, batch))
    pager = client.receipts.list(status=1, limit=PAGE_LIMIT, concurrency=concurrency)
    got = {r.id async for r in pager}
    return len(set(open_ids) - set(closed) - got)


def _close_directly(sandbox: SandboxServer, receipt_ids: list[int]) -> None:
    for receipt_id in receipt_ids:
        total = sandbox.receipt(receipt_id)["total"]
        sandbox.close_directly(receipt_id, [{"id": 1, "name": "Cash", "amount": total}])


SCENARIOS = {"inserts": inserts, "close_loop": close_loop, "others_close": others_close}


async def _run(name: str, concurrency: int, *, shifting: bool) -> tuple[int, int, int]:
    """(page requests, static page count, receipts lost) of one sweep."""
    async with (
        SandboxServer(receipts=RECEIPTS, seed=7, open_ratio=0.5) as sandbox,
        sandbox.client(rate_limit=UNLIMITED, max_concurrency=8) as client,
    ):
        status = None if name == "inserts" else 1
        static = math.ceil(len(sandbox.receipt_ids(status=status)) / PAGE_LIMIT)
        lost = 0
        if shifting:
            lost = await SCENARIOS[name](sandbox, client, concurrency)
        else:
            pager = client.receipts.list(status=status, limit=PAGE_LIMIT, concurrency=concurrency)
            _ = [r async for r in pager]
        return len(sandbox.requests("GET", "/receipts")), static, lost


async def scenario_measure(name: str) -> Measure:
    details: dict[str, float] = {}
    worst = static = 0
    for concurrency in CONCURRENCIES:
        quiet, static, _ = await _run(name, concurrency, shifting=False)
        requests, _, lost = await _run(name, concurrency, shifting=True)
        details[f"static_requests_c{concurrency}"] = quiet
        details[f"requests_c{concurrency}"] = requests
        details[f"extra_requests_c{concurrency}"] = requests - static
        details[f"lost_c{concurrency}"] = lost
        worst = max(worst, requests)
    details["pages_static"] = static
    lost_total = sum(v for k, v in details.items() if k.startswith("lost_"))
    return Measure(
        key=f"reread_{name}",
        label=f"{name.replace('_', ' ')}: page requests vs static sweep, C=1/4/8",
        ours=worst,
        baseline=static,
        unit="requests",
        ratio=worst / static,
        goal="0 lost",
        passed=lost_total == 0,
        note="extra " + "/".join(str(details[f"extra_requests_c{c}"]) for c in CONCURRENCIES)
        + f"; lost {lost_total}",
        details=details,
    )


async def measure(quick: bool = False) -> list[Measure]:
    """One row per scenario (the counts are exact, so ``quick`` changes nothing).

    Args:
        quick: accepted for the suite's signature; the run is the same.

    Returns:
        One ``Measure`` per scenario.
    """
    return [await scenario_measure(name) for name in SCENARIOS]


def main(argv: list[str] | None = None) -> int:
    return bench_main(measure, argv, doc=__doc__, quick_help="same run (counts are exact)")


if __name__ == "__main__":
    sys.exit(main())
