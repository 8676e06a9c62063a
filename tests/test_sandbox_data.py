"""The sandbox's seeded receipts (API §10.1-10.3, §11) and its store's hooks."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import aiohttp
import pytest
from hypothesis import given
from hypothesis import strategies as st

from clopos_async import ClientValueError
from clopos_async.testing import SandboxServer
from clopos_async.testing._reference import money
from tests.sandbox_http import mint_token

#: Every field of the API §10.1 receipt table (``receipt_products`` only comes with with[]).
DOCUMENTED_FIELDS = {
    "id", "cid", "venue_id", "customer_id", "user_id", "terminal_id", "sale_type_id", "source",
    "guests", "status", "order_status", "order_number", "lock", "inventory_status",
    "report_status", "printed", "total", "subtotal", "original_subtotal", "gift_total",
    "discount_type", "discount_value", "discount_rate", "total_discount", "service_charge",
    "service_charge_value", "delivery_fee", "remaining", "i_tax", "e_tax", "total_tax", "by_cash",
    "by_card", "payment_methods", "fiscal_id", "loyalty_type", "loyalty_value", "address",
    "description", "meta", "properties", "created_at", "updated_at", "closed_at", "shift_date",
    "deleted_at",
}  # fmt: skip
LINE_FIELDS = {
    "id", "cid", "product_id", "count", "portion_size", "total", "price", "subtotal", "is_gift",
    "discount_type", "discount_value", "discount_rate", "total_discount", "receipt_discount",
    "loyalty_type", "loyalty_value", "meta", "created_at", "updated_at",
}  # fmt: skip
MONEY_FIELDS = (
    "total", "subtotal", "original_subtotal", "gift_total", "total_discount",
    "service_charge_value", "delivery_fee", "remaining", "i_tax", "e_tax", "total_tax",
    "by_cash", "by_card", "totalCost",
)  # fmt: skip
LINE_MONEY_FIELDS = ("total", "price", "subtotal", "total_discount", "receipt_discount", "cost")
ORDER_STATUSES = {"NEW", "SCHEDULED", "IN_PROGRESS", "READY", "PICKED_UP", "COMPLETED", "CANCELLED"}
WIRE_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")
ALL_INCLUDES = [
    "receipt_products",
    "receipt_products.modificators",
    "receipt_products.product.unit",
    "receipt_products.product.station",
]


@pytest.fixture(scope="module")
def receipts() -> list[dict[str, Any]]:
    """400 receipts with every relation loaded (built once: the checks only read)."""
    sandbox = SandboxServer(receipts=400, seed=5, open_ratio=0.2)
    return [sandbox.receipt(i, include=ALL_INCLUDES) for i in sandbox.receipt_ids()]


def decimal(amount: int | float) -> Decimal:
    return Decimal(str(amount))


# --- shape -------------------------------------------------------------------------------


def test_every_documented_field_is_present(receipts: list[dict[str, Any]]) -> None:
    for receipt in receipts:
        assert set(receipt) >= DOCUMENTED_FIELDS
        for line in receipt["receipt_products"]:
            assert set(line) >= LINE_FIELDS


def test_additional_and_undocumented_fields_are_present(receipts: list[dict[str, Any]]) -> None:
    extra = {"cash_shift_cid", "table_id", "hall_id", "totalCost", "suspicion", "is_returns"}
    for receipt in receipts:
        assert extra <= set(receipt)
        assert "rps_discount" in receipt
        assert "terminal_version" in receipt


def test_ids_ascend_with_created_at_and_timestamps_use_the_wire_format(
    receipts: list[dict[str, Any]],
) -> None:
    assert [r["id"] for r in receipts] == list(range(1, 401))
    created = [r["created_at"] for r in receipts]
    assert created == sorted(created)
    for receipt in receipts:
        for field in ("created_at", "updated_at"):
            assert WIRE_DATETIME.fullmatch(receipt[field])
        assert receipt["shift_date"] == receipt["created_at"][:10]


def test_created_at_spreads_over_the_days_within_opening_hours(
    receipts: list[dict[str, Any]],
) -> None:
    moments = [datetime.fromisoformat(r["created_at"]) for r in receipts]
    assert {m.date() for m in moments} <= {date(2025, 8, 1) + timedelta(days=d) for d in range(31)}
    assert len({m.date() for m in moments}) > 25
    assert all(time(8, 0) <= m.time() < time(22, 0) for m in moments)


def test_line_items_carry_products_and_modificators(receipts: list[dict[str, Any]]) -> None:
    lines = [line for r in receipts for line in r["receipt_products"]]
    assert {len(r["receipt_products"]) for r in receipts} == {1, 2, 3, 4}
    for line in lines:
        assert set(line["meta"]["product"]) == {"name", "type", "price", "barcode"}
        assert isinstance(line["modificators"], list)
    assert any(line["modificators"] for line in lines)
    assert any(
        line["meta"]["product"]["type"] == "DISH" and not line["modificators"] for line in lines
    )
    assert {line["meta"]["product"]["barcode"] is None for line in lines} == {True, False}


def test_enums_and_nullable_fields(receipts: list[dict[str, Any]]) -> None:
    assert {r["order_status"] for r in receipts} == ORDER_STATUSES
    assert {r["status"] for r in receipts} == {1, 2}
    for field in ("customer_id", "order_number", "fiscal_id", "address", "closed_at"):
        assert any(r[field] is None for r in receipts), field
        assert any(r[field] is not None for r in receipts), field
    assert all(r["deleted_at"] is None and r["loyalty_type"] is None for r in receipts)


# --- money ---------------------------------------------------------------------------------


def money_numbers(receipt: dict[str, Any]) -> list[int | float]:
    """Every money number of a receipt: its own, its payments', its lines' and modifiers'."""
    numbers = [receipt[field] for field in MONEY_FIELDS]
    numbers += [payment["amount"] for payment in receipt["payment_methods"]]
    for line in receipt["receipt_products"]:
        numbers += [line[field] for field in LINE_MONEY_FIELDS]
        numbers += [line["meta"]["product"]["price"], line["product"]["price"]]
        numbers += [modificator["price"] for modificator in line["modificators"]]
    return numbers


def test_whole_amounts_are_json_ints_and_the_rest_floats_with_two_decimals(
    receipts: list[dict[str, Any]],
) -> None:
    numbers = [number for receipt in receipts for number in money_numbers(receipt)]
    for number in numbers:
        assert type(number) in (int, float)
        if isinstance(number, float):
            assert number != int(number)  # a whole amount is never written as 30.0
            assert -decimal(number).as_tuple().exponent <= 2  # type: ignore[operator]
    totals = [r["total"] for r in receipts]
    assert any(isinstance(t, int) for t in totals)
    assert any(isinstance(t, float) for t in totals)


def test_one_scale_per_dataset_in_major_units(receipts: list[dict[str, Any]]) -> None:
    prices: dict[int, set[Decimal]] = {}
    for line in (line for r in receipts for line in r["receipt_products"]):
        prices.setdefault(line["product_id"], set()).add(decimal(line["price"]))
    assert all(len(seen) == 1 for seen in prices.values())  # a product costs the same everywhere
    assert {product_id: seen.pop() for product_id, seen in prices.items()}[1] == Decimal("12.5")
    assert max(decimal(r["total"]) for r in receipts) < 1000  # not minor units (8.14 -> 8140)


@given(cents=st.integers(min_value=0, max_value=10**9))
def test_money_writes_cents_as_major_units(cents: int) -> None:
    number = money(cents)
    assert decimal(number) == Decimal(cents) / 100
    assert isinstance(number, int) == (cents % 100 == 0)


async def test_sorting_by_total_orders_by_value(http: aiohttp.ClientSession) -> None:
    async with SandboxServer(receipts=150, seed=5) as sb:
        headers = {"x-token": await mint_token(http, sb)}
        params = {"limit": "200", "sort[0]": "total", "sort[1]": "1"}
        async with http.get(f"{sb.base_url}/receipts", params=params, headers=headers) as answer:
            totals = [row["total"] for row in (await answer.json())["data"]]
    assert len(totals) == 150
    assert {type(total) for total in totals} == {int, float}
    values = [decimal(total) for total in totals]
    assert values == sorted(values)


def test_closed_receipts_are_paid_exactly(receipts: list[dict[str, Any]]) -> None:
    closed = [r for r in receipts if r["status"] == 2]
    for receipt in closed:
        paid = sum((decimal(m["amount"]) for m in receipt["payment_methods"]), Decimal(0))
        assert paid == decimal(receipt["total"])
        assert decimal(receipt["remaining"]) == 0
        assert receipt["closed_at"] > receipt["created_at"]
        assert {m["name"] for m in receipt["payment_methods"]} <= {"Cash", "Card", "Bonus"}
    assert any(len(r["payment_methods"]) > 1 for r in closed)


def test_totals_add_up(receipts: list[dict[str, Any]]) -> None:
    for receipt in receipts:
        lines = receipt["receipt_products"]
        expected = (
            decimal(receipt["subtotal"])
            - decimal(receipt["total_discount"])
            + decimal(receipt["service_charge_value"])
            + decimal(receipt["delivery_fee"])
        )
        assert decimal(receipt["total"]) == expected
        line_totals = sum((decimal(line["total"]) for line in lines), Decimal(0))
        assert line_totals == decimal(receipt["subtotal"]) - decimal(receipt["total_discount"])


def test_open_receipts_are_unpaid(receipts: list[dict[str, Any]]) -> None:
    opened = [r for r in receipts if r["status"] == 1]
    assert 40 <= len(opened) <= 120  # open_ratio=0.2 of 400
    for receipt in opened:
        assert receipt["closed_at"] is None
        assert receipt["payment_methods"] == []
        assert decimal(receipt["remaining"]) == decimal(receipt["total"])
        assert receipt["order_status"] not in ("COMPLETED", "PICKED_UP", "CANCELLED")


@pytest.mark.parametrize(("ratio", "expected"), [(0.0, {2}), (1.0, {1})])
def test_open_ratio_extremes(ratio: float, expected: set[int]) -> None:
    sandbox = SandboxServer(receipts=50, open_ratio=ratio)
    assert {sandbox.receipt(i)["status"] for i in sandbox.receipt_ids()} == expected


# --- determinism -----------------------------------------------------------------------------


def test_the_same_seed_gives_the_same_receipts() -> None:
    one, two = SandboxServer(receipts=30, seed=9), SandboxServer(receipts=30, seed=9)
    for receipt_id in one.receipt_ids():
        assert one.receipt(receipt_id, include=ALL_INCLUDES) == two.receipt(
            receipt_id, include=ALL_INCLUDES
        )


def test_another_seed_gives_other_receipts() -> None:
    one, two = SandboxServer(receipts=30, seed=9), SandboxServer(receipts=30, seed=10)
    assert [one.receipt(i)["cid"] for i in range(1, 31)] != [
        two.receipt(i)["cid"] for i in range(1, 31)
    ]


def test_start_and_days_place_the_receipts() -> None:
    sandbox = SandboxServer(receipts=40, start=date(2026, 1, 30), days=3)
    days = {sandbox.receipt(i)["created_at"][:10] for i in sandbox.receipt_ids()}
    assert days <= {"2026-01-30", "2026-01-31", "2026-02-01"}


# --- hooks -------------------------------------------------------------------------------------


def test_receipt_is_a_deep_copy() -> None:
    sandbox = SandboxServer(receipts=3)
    copy = sandbox.receipt(1)
    copy["meta"]["user"]["name"] = "changed"
    copy["payment_methods"].append({"id": 9})
    assert sandbox.receipt(1)["meta"]["user"]["name"] != "changed"
    assert {"id": 9} not in sandbox.receipt(1)["payment_methods"]


def test_receipt_ids_filter_by_day_and_status() -> None:
    sandbox = SandboxServer(receipts=100, seed=2, open_ratio=0.3)
    everything = {i: sandbox.receipt(i) for i in sandbox.receipt_ids()}
    some_day = everything[50]["created_at"][:10]
    chosen = sandbox.receipt_ids(
        date_from=date.fromisoformat(some_day), date_to=date.fromisoformat(some_day), status=1
    )
    assert chosen == [
        i for i, r in everything.items() if r["created_at"][:10] == some_day and r["status"] == 1
    ]


def test_add_receipts_appends_after_the_newest_one() -> None:
    sandbox = SandboxServer(receipts=20)
    newest = sandbox.receipt(20)["created_at"]
    new_ids = sandbox.add_receipts(3)
    assert new_ids == [21, 22, 23]
    stamps = [sandbox.receipt(i)["created_at"] for i in new_ids]
    assert newest < stamps[0] < stamps[1] < stamps[2]
    assert sandbox.receipt_ids() == list(range(1, 24))


def test_add_receipts_at_a_given_moment() -> None:
    sandbox = SandboxServer(receipts=20)
    moment = datetime(2025, 8, 3, 23, 30)
    new_ids = sandbox.add_receipts(2, created_at=moment)
    assert [sandbox.receipt(i)["created_at"] for i in new_ids] == ["2025-08-03 23:30:00"] * 2
    assert set(new_ids) <= set(
        sandbox.receipt_ids(date_from=date(2025, 8, 3), date_to=date(2025, 8, 3))
    )


async def test_new_receipts_shift_rows_in_a_newest_first_sweep(
    http: aiohttp.ClientSession,
) -> None:
    async with SandboxServer(receipts=30) as sb:
        headers = {"x-token": await mint_token(http, sb)}
        url = f"{sb.base_url}/receipts"
        async with http.get(url, params={"limit": "10"}, headers=headers) as response:
            first = [row["id"] for row in (await response.json())["data"]]
        sb.add_receipts(4)
        params = {"limit": "10", "page": "2"}
        async with http.get(url, params=params, headers=headers) as response:
            body = await response.json()
    second = [row["id"] for row in body["data"]]
    assert first == list(range(30, 20, -1))
    assert second == list(range(24, 14, -1))  # four rows of page 1 were pushed onto page 2
    assert body["total"] == 34


def test_data_is_independent_of_the_order_it_is_read_in() -> None:
    one, two = SandboxServer(receipts=10, seed=4), SandboxServer(receipts=10, seed=4)
    forward = [one.receipt(i, include=ALL_INCLUDES) for i in range(1, 11)]
    backward = [two.receipt(i, include=ALL_INCLUDES) for i in range(10, 0, -1)]
    assert forward == backward[::-1]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"receipts": -1},
        {"days": 0},
        {"token_ttl": 0},
        {"latency": -0.1},
        {"open_ratio": 1.5},
        {"seed": "x"},
        {"port": 70000},
        {"tenant_limit": 300},
    ],
)
def test_bad_constructor_arguments_raise_client_value_error(kwargs: dict[str, Any]) -> None:
    name = next(iter(kwargs))
    with pytest.raises(ClientValueError, match=name):
        SandboxServer(**kwargs)


def test_bad_hook_arguments_raise_client_value_error() -> None:
    sandbox = SandboxServer(receipts=3)
    with pytest.raises(ClientValueError, match="receipt_id"):
        sandbox.receipt(99)
    with pytest.raises(ClientValueError, match="include"):
        sandbox.receipt(1, include=["customer"])
    with pytest.raises(ClientValueError, match="n="):
        sandbox.add_receipts(-2)
    with pytest.raises(ClientValueError, match="created_at"):
        sandbox.add_receipts(1, created_at=datetime.now().astimezone())
    with pytest.raises(ClientValueError, match="amount"):
        sandbox.close_directly(1, [{"id": 1, "name": "Cash"}])
    with pytest.raises(ClientValueError, match="receipt_id"):
        sandbox.close_directly(99, [{"id": 1, "name": "Cash", "amount": 1}])


def test_base_url_needs_a_running_server() -> None:
    with pytest.raises(RuntimeError, match="not running"):
        _ = SandboxServer(receipts=1).base_url


async def test_start_twice_and_stop_twice_are_harmless() -> None:
    sandbox = SandboxServer(receipts=1)
    await sandbox.start()
    url = sandbox.base_url
    await sandbox.start()
    assert sandbox.base_url == url
    assert url.startswith("http://127.0.0.1:")
    assert url.endswith("/open-api/v2")
    await sandbox.stop()
    await sandbox.stop()
    with pytest.raises(RuntimeError):
        _ = sandbox.base_url
