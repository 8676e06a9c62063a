"""Properties of decoding: any JSON gives a model or a DecodeError; valid receipts round-trip."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import datetime
from typing import Any

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clopos_async import _wire
from clopos_async._errors import DecodeError
from clopos_async._wire import (
    converter,
    decode_closed_receipt,
    decode_receipt,
    decode_receipts,
    format_timestamp,
    parse_timestamp,
)
from clopos_async.models import ClosedReceipt, Receipt

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

I64 = st.integers(min_value=-(2**63), max_value=2**63 - 1)

#: Arbitrary JSON, as the task defines it (infinities included: a Python caller may pass them).
json_values = st.recursive(
    st.none() | st.booleans() | I64 | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)

# --- the receipt fields, by wire type (API §10.1-10.3), written out independently of the code ---

RECEIPT_INTS = [
    "venue_id",
    "customer_id",
    "user_id",
    "terminal_id",
    "sale_type_id",
    "guests",
    "inventory_status",
    "report_status",
    "discount_type",
    "open_by_user_id",
    "close_by_user_id",
    "courier_id",
    "seller_id",
    "closed_terminal_id",
    "service_notification_id",
    "table_id",
    "hall_id",
    "suspicion",
    "gift_count",
    "customer_discount_type",
    "local_status",
]
RECEIPT_STRINGS = [
    "cid",
    "source",
    "order_number",
    "fiscal_id",
    "address",
    "description",
    "cash_shift_cid",
    "terminal_version",
]
RECEIPT_FLAGS = ["lock", "printed", "is_returns"]
RECEIPT_MONEY = [
    "total",
    "subtotal",
    "original_subtotal",
    "gift_total",
    "discount_value",
    "discount_rate",
    "total_discount",
    "service_charge",
    "service_charge_value",
    "delivery_fee",
    "remaining",
    "i_tax",
    "e_tax",
    "total_tax",
    "by_cash",
    "by_card",
    "loyalty_value",
    "totalCost",
    "rps_discount",
]
RECEIPT_TIMESTAMPS = ["created_at", "updated_at", "closed_at", "deleted_at"]
RECEIPT_SCALARS = ["loyalty_type", "terminal_updated_at"]

LINE_INTS = [
    "product_id",
    "count",
    "discount_type",
    "receipt_id",
    "preprint_count",
    "station_printed_count",
    "station_aborted_count",
    "seller_id",
]
LINE_MONEY = [
    "portion_size",
    "total",
    "price",
    "subtotal",
    "discount_value",
    "discount_rate",
    "total_discount",
    "receipt_discount",
    "loyalty_value",
    "cost",
]
LINE_TIMESTAMPS = ["created_at", "updated_at", "deleted_at"]

RECEIPT_KEYS = frozenset(
    RECEIPT_INTS
    + RECEIPT_STRINGS
    + RECEIPT_FLAGS
    + RECEIPT_MONEY
    + RECEIPT_TIMESTAMPS
    + RECEIPT_SCALARS
    + [
        "id",
        "status",
        "order_status",
        "payment_methods",
        "meta",
        "properties",
        "shift_date",
        "receipt_products",
    ]
)

money = I64 | st.floats(allow_nan=False, allow_infinity=False)
timestamps = st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)).map(
    format_timestamp
)
dates = st.dates().map(lambda d: d.isoformat())
scalars = st.text(max_size=12) | I64 | st.floats(allow_nan=False, allow_infinity=False)
flags = st.booleans() | st.integers(min_value=0, max_value=1)


def nullable(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


def extra_keys(known: frozenset[str]) -> st.SearchStrategy[dict[str, Any]]:
    return st.dictionaries(
        st.text(max_size=10).filter(lambda k: k not in known), json_values, max_size=3
    )


def some_of(
    fields: dict[str, st.SearchStrategy[Any]], known: frozenset[str]
) -> st.SearchStrategy[dict[str, Any]]:
    """A dict with a random subset of ``fields`` and a few undocumented keys."""
    optional = st.fixed_dictionaries({}, optional=fields)
    return st.tuples(optional, extra_keys(known)).map(lambda parts: {**parts[1], **parts[0]})


def typed(names: list[str], strategy: st.SearchStrategy[Any]) -> dict[str, st.SearchStrategy[Any]]:
    return {name: nullable(strategy) for name in names}


payment_methods = st.lists(
    st.tuples(
        st.fixed_dictionaries({"id": I64, "name": st.text(max_size=10), "amount": money}),
        extra_keys(frozenset({"id", "name", "amount"})),
    ).map(lambda parts: {**parts[1], **parts[0]}),
    max_size=3,
)

modificators = st.lists(
    some_of(
        {
            "id": nullable(I64),
            "name": nullable(st.text(max_size=10)),
            "price": nullable(money),
            "count": nullable(I64),
            "total": nullable(money),
        },
        frozenset({"id", "name", "price", "count", "total"}),
    ),
    max_size=2,
)

product_info = some_of(
    {
        "name": nullable(st.text(max_size=10)),
        "type": nullable(st.sampled_from(["DISH", "GOODS", "TIMER"])),
        "price": nullable(money),
        "barcode": nullable(st.text(max_size=13)),
    },
    frozenset({"name", "type", "price", "barcode"}),
)

line_fields: dict[str, st.SearchStrategy[Any]] = {
    **typed(LINE_INTS, I64),
    **typed(LINE_MONEY, money),
    **typed(LINE_TIMESTAMPS, timestamps),
    "cid": nullable(st.text(max_size=10)),
    "is_gift": nullable(flags),
    "loyalty_type": nullable(scalars),
    "terminal_updated_at": nullable(scalars),
    "product_hash": nullable(st.text(max_size=10)),
    "meta": nullable(some_of({"product": nullable(product_info)}, frozenset({"product"}))),
    "modificators": nullable(modificators),
    "receipt_product_modificators": nullable(st.lists(json_values, max_size=2)),
    "taxes": nullable(st.lists(json_values, max_size=2)),
}
LINE_KEYS = frozenset(line_fields) | {"id"}
lines = st.lists(
    st.tuples(I64, some_of(line_fields, LINE_KEYS)).map(lambda p: {**p[1], "id": p[0]}),
    max_size=3,
)

check_close_event = some_of(
    {
        "checked": nullable(flags),
        "operated_at": nullable(scalars),
        "fails": nullable(st.lists(json_values, max_size=2)),
    },
    frozenset({"checked", "operated_at", "fails"}),
)
named = some_of({"name": nullable(st.text(max_size=10))}, frozenset({"name"}))
receipt_meta = some_of(
    {
        "preprint_count": nullable(I64),
        "sale_type": nullable(named),
        "user": nullable(named),
        "terminal_updated_at": nullable(I64),
        "availiableDeposit": nullable(money),
        "check_close_event": nullable(check_close_event),
    },
    frozenset(
        [
            "preprint_count",
            "sale_type",
            "user",
            "terminal_updated_at",
            "availiableDeposit",
            "check_close_event",
        ]
    ),
)
properties = some_of(
    {"daily_id": nullable(I64), "monthly_id": nullable(I64)}, frozenset({"daily_id", "monthly_id"})
)

receipt_fields: dict[str, st.SearchStrategy[Any]] = {
    **typed(RECEIPT_INTS, I64),
    **typed(RECEIPT_STRINGS, st.text(max_size=12)),
    **typed(RECEIPT_FLAGS, flags),
    **typed(RECEIPT_MONEY, money),
    **typed(RECEIPT_TIMESTAMPS, timestamps),
    **typed(RECEIPT_SCALARS, scalars),
    "status": nullable(I64),
    "order_status": nullable(
        st.sampled_from(["NEW", "READY", "COMPLETED", "CANCELLED"]) | st.text(max_size=10)
    ),
    "shift_date": nullable(dates),
    "payment_methods": payment_methods,
    "meta": nullable(receipt_meta),
    "properties": nullable(properties),
    "receipt_products": nullable(lines),
}

valid_receipts = st.tuples(I64, some_of(receipt_fields, RECEIPT_KEYS)).map(
    lambda parts: {**parts[1], "id": parts[0]}
)

#: Receipt-shaped dicts whose known fields may hold any JSON at all: exercises every check.
receipt_shaped = st.dictionaries(
    st.sampled_from(sorted(RECEIPT_KEYS)) | st.text(max_size=6), json_values, max_size=8
).map(lambda d: {"id": 1, **d})


def canonical(value: Any) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)


# --- arbitrary JSON: a model or a DecodeError, nothing else ------------------------------------


def outcome(decode: Callable[[Any], Any], value: Any) -> tuple[Any, DecodeError | None]:
    """What ``decode`` made of ``value``: (result, None) or (None, the DecodeError).

    Any other exception escapes and fails the test.
    """
    try:
        return decode(value), None
    except DecodeError as error:
        return None, error


@SETTINGS
@given(json_values)
def test_arbitrary_json_gives_a_receipt_or_a_decode_error(value: Any) -> None:
    for decode, model in ((decode_receipt, Receipt), (decode_closed_receipt, ClosedReceipt)):
        result, error = outcome(decode, value)

        if error is None:
            assert type(result) is model
        else:
            assert (error.path or "").startswith("data")


@SETTINGS
@given(json_values)
def test_arbitrary_json_gives_receipts_or_a_decode_error(value: Any) -> None:
    result, error = outcome(decode_receipts, value)

    if error is None:
        assert all(type(r) is Receipt for r in result)
    else:
        assert (error.path or "").startswith("data")


@SETTINGS
@given(st.lists(receipt_shaped, max_size=3))
def test_any_values_in_receipt_fields_give_receipts_or_a_decode_error(value: Any) -> None:
    result, error = outcome(decode_receipts, value)

    if error is None:
        assert result == _wire.structure_slow_list(Receipt, copy.deepcopy(value), "data")
    else:
        assert (error.path or "").startswith("data[")


# --- valid receipts: lossless, and both decode paths agree -------------------------------------


@SETTINGS
@given(valid_receipts)
def test_valid_receipts_round_trip_unchanged(wire: dict[str, Any]) -> None:
    receipt = converter.structure(wire, Receipt)

    back = converter.unstructure(receipt)

    assert canonical(back) == canonical(wire)
    assert canonical(converter.unstructure(decode_receipt(orjson.loads(canonical(back))))) == (
        canonical(wire)
    )


@SETTINGS
@given(valid_receipts)
def test_the_fast_path_accepts_valid_receipts_and_agrees_with_the_slow_path(
    wire: dict[str, Any],
) -> None:
    fast = _wire.fast_decoder(Receipt)(wire)

    assert fast == _wire.structure_slow(Receipt, wire, "data")


# --- timestamps --------------------------------------------------------------------------------


@SETTINGS
@given(st.text(alphabet="0123456789-: TWZ+.٣３", min_size=17, max_size=21))
def test_a_parsed_timestamp_formats_back_to_the_same_text(text: str) -> None:
    try:
        parsed = parse_timestamp(text)
    except ValueError:
        return
    assert format_timestamp(parsed) == text


@SETTINGS
@given(st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)))
def test_format_then_parse_keeps_the_second(moment: datetime) -> None:
    assert parse_timestamp(format_timestamp(moment)) == moment.replace(microsecond=0)
