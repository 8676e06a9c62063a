"""receipts.list, get and get_many against the sandbox: completeness, order, counts."""

from __future__ import annotations

import math
from datetime import date

import pytest

from clopos_async import NotFoundError, Receipt, RetryPolicy, ServerError
from clopos_async.testing import SandboxServer

FAST = RetryPolicy(max_attempts=2, base=0.01, cap=0.01)


@pytest.fixture
async def big() -> SandboxServer:  # type: ignore[misc]
    async with SandboxServer(receipts=1234, seed=3) as server:
        yield server


def ids(receipts: list[Receipt]) -> list[int]:
    return [r.id for r in receipts]


async def test_every_receipt_once_in_sort_order(big: SandboxServer) -> None:
    async with big.client() as clopos:
        got = [r async for r in clopos.receipts.list(limit=50)]
    assert ids(got) == sorted(big.receipt_ids(), reverse=True)  # created_at desc == id desc
    created = [r.created_at for r in got]
    assert None not in created
    assert created == sorted((c for c in created if c is not None), reverse=True)
    pages = big.requests("GET", "/receipts")
    assert len(pages) == math.ceil(1234 / 50)  # nothing past the last page, nothing twice
    assert sorted(int(dict(p.query)["page"]) for p in pages) == list(range(1, 26))


@pytest.mark.parametrize("concurrency", [4, 8])
async def test_concurrent_prefetch_yields_the_same_sequence(
    big: SandboxServer, concurrency: int
) -> None:
    async with big.client() as clopos:
        serial = ids([r async for r in clopos.receipts.list(limit=50, sort="id", order="asc")])
        big.reset_stats()
        parallel = ids(
            [
                r
                async for r in clopos.receipts.list(
                    limit=50, sort="id", order="asc", concurrency=concurrency
                )
            ]
        )
    assert parallel == serial == big.receipt_ids()
    assert len(big.requests("GET", "/receipts")) == 25


async def test_await_gives_one_page(big: SandboxServer) -> None:
    async with big.client() as clopos:
        page = await clopos.receipts.list(limit=100, page=3)
    assert (page.page, page.limit, page.total) == (3, 100, 1234)
    assert page.page_count == 13
    assert page.has_next
    assert len(page.items) == 100
    assert "created_at" in page.sorts
    assert len(big.requests("GET", "/receipts")) == 1


async def test_pager_sends_nothing_until_used(big: SandboxServer) -> None:
    async with big.client() as clopos:
        pager = clopos.receipts.list(limit=10)
        assert big.log == []
        assert pager.next_page == 1


async def test_pages_yields_every_page(big: SandboxServer) -> None:
    async with big.client() as clopos:
        pages = [p async for p in clopos.receipts.list(limit=200).pages()]
    assert [p.page for p in pages] == [1, 2, 3, 4, 5, 6, 7]
    assert sum(len(p.items) for p in pages) == 1234


async def test_max_items_caps_items_and_page_requests(big: SandboxServer) -> None:
    async with big.client() as clopos:
        got = [r async for r in clopos.receipts.list(limit=50, max_items=120, concurrency=4)]
    assert len(got) == 120
    assert len(big.requests("GET", "/receipts")) == 3


async def test_new_receipts_during_newest_first_sweep_cause_no_duplicates(
    big: SandboxServer,
) -> None:
    before = set(big.receipt_ids())
    seen: list[int] = []
    async with big.client() as clopos:
        async for page in clopos.receipts.list(limit=50).pages():
            seen.extend(ids(list(page.items)))
            if page.page in (2, 5):
                big.add_receipts(30)
    assert len(seen) == len(set(seen))
    assert before <= set(seen)  # nothing that existed all along was missed


async def test_date_range_is_inclusive_at_both_ends(big: SandboxServer) -> None:
    start, end = date(2025, 8, 3), date(2025, 8, 5)
    async with big.client() as clopos:
        got = [r async for r in clopos.receipts.list(date_from=start, date_to=end, limit=200)]
    expected = big.receipt_ids(date_from=start, date_to=end)
    assert sorted(ids(got)) == expected
    days = {r.created_at.date() for r in got if r.created_at}
    assert days == {date(2025, 8, 3), date(2025, 8, 4), date(2025, 8, 5)}


async def test_status_filter(big: SandboxServer) -> None:
    async with big.client() as clopos:
        got = [r async for r in clopos.receipts.list(status=1, limit=200)]
    assert sorted(ids(got)) == big.receipt_ids(status=1)
    assert {r.status for r in got} == {1}


async def test_include_decodes_line_items_and_modificators(big: SandboxServer) -> None:
    include = ["receipt_products", "receipt_products.modificators"]
    async with big.client() as clopos:
        page = await clopos.receipts.list(limit=20, include=include)
        plain = await clopos.receipts.get(page.items[0].id)
    assert all(r.receipt_products for r in page.items)
    products = [p for r in page.items for p in r.receipt_products or ()]
    assert all(p.modificators is not None for p in products)
    assert any(p.modificators for p in products)
    assert plain.receipt_products is None


async def test_failed_sweep_resumes_at_next_page(big: SandboxServer) -> None:
    big.fault("/receipts", attempts=[3, 4], status=500)  # page 3 fails both attempts
    seen: list[int] = []
    async with big.client(retry=FAST) as clopos:
        pager = clopos.receipts.list(limit=100, sort="id", order="asc")
        with pytest.raises(ServerError):
            async for receipt in pager:
                seen.append(receipt.id)
        assert pager.next_page == 3
        seen.extend([r.id async for r in pager])
    assert seen == big.receipt_ids()


async def test_get_with_include(big: SandboxServer) -> None:
    async with big.client() as clopos:
        receipt = await clopos.receipts.get(7, include="receipt_products")
    assert receipt.id == 7
    assert receipt.receipt_products is not None


async def test_get_many_keeps_input_order_and_bounds_concurrency(big: SandboxServer) -> None:
    wanted = [500, 3, 77, 1200, 9, 3]
    big.latency = 0.01
    async with big.client() as clopos:
        got = [r async for r in clopos.receipts.get_many(wanted, concurrency=3)]
    assert ids(got) == wanted
    assert big.max_in_flight <= 3


async def test_get_many_missing_id_raises_not_found(big: SandboxServer) -> None:
    async with big.client() as clopos:
        got: list[int] = []
        with pytest.raises(NotFoundError):
            async for receipt in clopos.receipts.get_many([1, 2, 99_999, 4]):
                got.append(receipt.id)
    assert got == [1, 2]


async def test_a_consumer_failing_mid_page_resumes_without_losing_receipts(
    big: SandboxServer,
) -> None:
    seen: list[int] = []
    async with big.client() as clopos:
        pager = clopos.receipts.list(limit=50, sort="id", order="asc", concurrency=3)
        with pytest.raises(RuntimeError):
            async for receipt in pager:
                seen.append(receipt.id)
                if len(seen) == 60:  # the 10th item of page 2
                    raise RuntimeError("the consumer's own failure")
        assert pager.next_page == 2
        seen.extend([r.id async for r in pager])
    assert seen == big.receipt_ids()


async def test_break_mid_page_then_resume(big: SandboxServer) -> None:
    seen: list[int] = []
    async with big.client() as clopos:
        pager = clopos.receipts.list(limit=100, sort="id", order="asc")
        async for receipt in pager:
            seen.append(receipt.id)
            if len(seen) == 150:
                break
        assert pager.next_page == 2
        seen.extend([r.id async for r in pager])
    assert seen == big.receipt_ids()


async def test_pager_concurrency_bounds_page_requests_in_flight(big: SandboxServer) -> None:
    big.latency = 0.02
    async with big.client(max_concurrency=8) as clopos:
        got = [r async for r in clopos.receipts.list(limit=50, concurrency=3)]
    assert len(got) == 1234
    assert big.max_in_flight == 3
