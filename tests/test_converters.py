"""Decoding and encoding sample payloads: types, lossless round-trips, DecodeError paths."""

from __future__ import annotations

import copy
import json
import pickle
from collections import OrderedDict
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import attrs
import orjson
import pytest

from clopos_async import _wire
from clopos_async._errors import ClientValueError, DecodeError
from clopos_async._wire import (
    clear_caches,
    converter,
    decode_closed_receipt,
    decode_receipt,
    decode_receipts,
    encode_payment_methods,
    format_timestamp,
    parse_timestamp,
)
from clopos_async.models import (
    CheckCloseEvent,
    ClosedReceipt,
    Modificator,
    Page,
    PaymentMethod,
    ProductSnapshot,
    Receipt,
    ReceiptMeta,
    ReceiptOrderStatus,
    ReceiptProduct,
    ReceiptProductMeta,
    ReceiptProperties,
    ReceiptStatus,
    SaleTypeSnapshot,
    UserSnapshot,
)
from tests import samples


def canonical(value: Any) -> bytes:
    """JSON bytes with sorted keys: equal only if numbers keep their kind (8140 vs 8140.0)."""
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)


def page() -> list[Receipt]:
    return decode_receipts(samples.data("receipt_list_page"))


def with_products() -> Receipt:
    return decode_receipt(samples.data("receipt_with_products"))


# --- every sample decodes ----------------------------------------------------------------------


@pytest.mark.parametrize("name", samples.RECEIPT_SAMPLES)
def test_every_single_receipt_sample_decodes(name: str) -> None:
    wire = samples.data(name)

    receipt = decode_receipt(wire)

    assert type(receipt) is Receipt
    assert receipt.id == wire["id"]


def test_the_list_sample_decodes_in_order() -> None:
    wire = samples.data("receipt_list_page")

    receipts = decode_receipts(wire)

    assert [r.id for r in receipts] == [item["id"] for item in wire]
    assert all(type(r) is Receipt for r in receipts)


@pytest.mark.parametrize("name", samples.CLOSE_SAMPLES)
def test_every_close_sample_decodes(name: str) -> None:
    wire = samples.data(name)

    closed = decode_closed_receipt(wire)

    assert type(closed) is ClosedReceipt
    assert closed.id == wire["id"]
    assert closed.closed_at == datetime.strptime(wire["closed_at"], "%Y-%m-%d %H:%M:%S")
    assert [(p.id, p.name) for p in closed.payment_methods] == [
        (p["id"], p["name"]) for p in wire["payment_methods"]
    ]


# --- the types produced ------------------------------------------------------------------------


def test_money_is_decimal_at_both_scales() -> None:
    integral, fractional, float_integral, twelve_and_a_half = page()

    assert [str(r.total) for r in page()] == ["30000", "8.14", "30000.0", "12.5"]
    assert all(type(r.total) is Decimal for r in page())
    assert integral.payment_methods[0].amount == Decimal(20000)
    assert fractional.loyalty_value == Decimal("12.5")
    assert float_integral.remaining == Decimal("30000.0")
    assert twelve_and_a_half.total == Decimal("12.5")


def test_timestamps_are_naive_datetimes_and_shift_date_is_a_date() -> None:
    receipt = page()[0]

    assert receipt.created_at == datetime(2025, 8, 12, 12, 30, 0)
    assert receipt.created_at.tzinfo is None
    assert receipt.closed_at == datetime(2025, 8, 12, 13, 5, 0)
    assert type(receipt.shift_date) is date
    assert receipt.shift_date == date(2025, 8, 12)


def test_nulls_are_none() -> None:
    first, _, open_receipt, _ = page()

    assert first.customer_id is None
    assert first.deleted_at is None
    assert open_receipt.closed_at is None
    assert open_receipt.payment_methods == ()


def test_known_statuses_become_enums_and_unknown_ones_stay_raw() -> None:
    closed, picked_up, open_receipt, on_hold = page()

    assert closed.status is ReceiptStatus.CLOSED
    assert open_receipt.status is ReceiptStatus.OPEN
    assert closed.order_status is ReceiptOrderStatus.COMPLETED
    assert picked_up.order_status is ReceiptOrderStatus.PICKED_UP
    assert type(on_hold.status) is int
    assert on_hold.status == 3
    assert type(on_hold.order_status) is str
    assert on_hold.order_status == "ON_HOLD"


def test_meta_and_properties_are_modelled() -> None:
    receipt = page()[1]
    meta = receipt.meta
    assert meta is not None
    assert meta.check_close_event is not None
    assert receipt.properties is not None

    assert meta.preprint_count == 0
    assert meta.sale_type == SaleTypeSnapshot(name="Delivery", extra={"system_type": "DELIVERY"})
    assert meta.user is not None
    assert meta.user.name == "Murad"
    assert meta.terminal_updated_at == 1755003600500
    assert meta.availiableDeposit == Decimal("12.5")
    assert meta.check_close_event.checked is False
    assert meta.check_close_event.fails == (
        {"code": "fiscal_timeout", "at": "2025-08-12 14:00:05"},
    )
    assert (receipt.properties.daily_id, receipt.properties.monthly_id) == (15, 413)


def test_receipt_products_and_modificators_are_modelled() -> None:
    lines = with_products().receipt_products
    assert lines is not None
    plov, ayran, qutab = lines
    assert plov.meta is not None
    assert plov.meta.product is not None
    assert plov.modificators is not None

    assert type(plov) is ReceiptProduct
    assert plov.meta.product == ProductSnapshot(name="Plov", type="DISH", price=Decimal("8.5"))
    assert [m.name for m in plov.modificators] == ["Extra saffron", "No onions"]
    assert plov.modificators[0].price == Decimal("0.6")
    assert plov.modificators[1].extra == {"group": "Preferences"}
    assert plov.created_at == datetime(2025, 8, 12, 15, 1)
    assert ayran.modificators == ()
    assert ayran.is_gift == 1
    assert ayran.cost == Decimal("0.9")
    assert ayran.taxes == ({"id": 1, "name": "VAT", "rate": 18},)
    assert qutab.portion_size == Decimal("0.5")
    assert qutab.extra == {"kitchen_note": "well done"}


def test_receipt_products_are_none_when_not_included() -> None:
    assert all(r.receipt_products is None for r in page())


def test_unknown_keys_are_kept_at_every_level() -> None:
    receipt = page()[1]
    card = with_products().payment_methods[1]
    assert receipt.meta is not None
    assert receipt.properties is not None

    assert receipt.extra == {
        "undocumented_flag": True,
        "partner_payload": {"platform": "wolt", "ids": [1, 2, 3], "nested": {"x": None}},
    }
    assert receipt.meta.extra == {"courier_note": "ring twice"}
    assert receipt.properties.extra == {"source_ref": "web-991"}
    assert card.extra == {"terminal_ref": "POS-77"}


# --- lossless round-trips ----------------------------------------------------------------------


@pytest.mark.parametrize("wire", samples.receipt_dicts(), ids=lambda d: str(d["id"]))
def test_every_receipt_sample_round_trips_exactly(wire: dict[str, Any]) -> None:
    back = converter.unstructure(converter.structure(wire, Receipt))

    assert canonical(back) == canonical(wire)
    assert orjson.loads(orjson.dumps(back)) == wire
    assert json.loads(json.dumps(back)) == wire


@pytest.mark.parametrize("name", samples.CLOSE_SAMPLES)
def test_close_samples_round_trip_exactly(name: str) -> None:
    wire = samples.data(name)

    back = converter.unstructure(decode_closed_receipt(wire))

    assert canonical(back) == canonical(wire)


def test_integers_stay_integers_and_floats_stay_floats() -> None:
    back = [converter.unstructure(r) for r in page()]

    assert [type(r["total"]) for r in back] == [int, float, float, float]
    assert json.dumps([r["total"] for r in back]) == "[30000, 8.14, 30000.0, 12.5]"


def test_a_receipt_fetched_without_include_gains_no_keys() -> None:
    back = converter.unstructure(page()[0])

    assert "receipt_products" not in back
    assert "totalCost" not in back
    assert set(back) == set(samples.data("receipt_list_page")[0])


def test_a_decoded_receipt_pickles_with_its_wire_shape() -> None:
    receipt = page()[1]

    copied = pickle.loads(pickle.dumps(receipt))

    assert copied == receipt
    assert canonical(converter.unstructure(copied)) == canonical(converter.unstructure(receipt))


def test_an_evolved_receipt_writes_every_known_key() -> None:
    # attrs.evolve builds a new receipt through __init__: the absent-key record is not
    # carried over, so no value set on the copy can be silently left out.
    evolved = attrs.evolve(page()[0], totalCost=Decimal("10.5"))

    back = converter.unstructure(evolved)

    assert back["totalCost"] == 10.5
    assert back["receipt_products"] is None
    assert back["total"] == 30000


def test_enums_and_unknown_statuses_go_back_raw() -> None:
    closed = converter.unstructure(page()[0])
    on_hold = converter.unstructure(page()[3])

    assert (type(closed["status"]), type(closed["order_status"])) == (int, str)
    assert (on_hold["status"], on_hold["order_status"]) == (3, "ON_HOLD")


def test_a_hand_built_receipt_writes_every_known_key() -> None:
    receipt = Receipt(
        id=7,
        total=8140,
        created_at=datetime(2025, 8, 12, 9, 5, 1, 999),
        shift_date=date(2025, 8, 12),
        status=ReceiptStatus.OPEN,
        payment_methods=(PaymentMethod(id=1, name="Cash", amount="8.14"),),
    )

    wire = converter.unstructure(receipt)

    assert wire["total"] == 8140
    assert type(wire["total"]) is int
    assert wire["created_at"] == "2025-08-12 09:05:01"
    assert wire["shift_date"] == "2025-08-12"
    assert wire["status"] == 1
    assert wire["payment_methods"] == [{"id": 1, "name": "Cash", "amount": 8.14}]
    assert wire["receipt_products"] is None
    assert len(wire) == len(converter.unstructure(decode_receipt(wire)))
    assert canonical(converter.unstructure(decode_receipt(wire))) == canonical(wire)


@pytest.mark.parametrize(
    "value", [-0.0, 0.0, -8.14, 1e16, 2.0872664574337988e16, 5e-324, -12, 10**15, 1023, 1024]
)
def test_money_keeps_sign_kind_and_digits_whatever_was_decoded_before(value: float) -> None:
    # The money memo must never hand one value's Decimal to another (0.0 == -0.0).
    clear_caches()
    for first in (0.0, -0.0, value, abs(value)):
        decode_receipt({"id": 1, "total": first})

    back = converter.unstructure(decode_receipt({"id": 1, "total": value}))

    assert canonical(back["total"]) == canonical(value)


def test_every_model_structures_and_unstructures_through_the_converter() -> None:
    receipt = samples.data("receipt_with_products")
    line = receipt["receipt_products"][0]
    cases: list[tuple[type, Any]] = [
        (PaymentMethod, receipt["payment_methods"][1]),
        (ReceiptProduct, line),
        (ReceiptProductMeta, line["meta"]),
        (ProductSnapshot, line["meta"]["product"]),
        (Modificator, line["modificators"][1]),
        (ReceiptMeta, receipt["meta"]),
        (SaleTypeSnapshot, receipt["meta"]["sale_type"]),
        (UserSnapshot, receipt["meta"]["user"]),
        (CheckCloseEvent, receipt["meta"]["check_close_event"]),
        (ReceiptProperties, receipt["properties"]),
        (Receipt, receipt),
        (ClosedReceipt, samples.data("close_response")),
    ]

    for model, wire in cases:
        decoded: object = converter.structure(wire, model)
        assert type(decoded) is model
        assert canonical(converter.unstructure(decoded)) == canonical(wire)


def test_a_page_structures_and_unstructures() -> None:
    wire = {
        "items": samples.data("receipt_list_page"),
        "total": 4,
        "page": 1,
        "limit": 50,
        "sorts": ["id", "created_at"],
    }

    decoded: Page[Receipt] = converter.structure(wire, Page[Receipt])

    assert [r.id for r in decoded.items] == [10950, 10951, 10952, 10953]
    assert (decoded.total, decoded.page, decoded.limit, decoded.has_next) == (4, 1, 50, False)
    assert decoded.sorts == ("id", "created_at")
    assert canonical(converter.unstructure(decoded)) == canonical(wire)


def test_a_bad_page_names_the_bad_item() -> None:
    items = samples.data("receipt_list_page")
    items[2]["created_at"] = "yesterday"
    wire = {"items": items, "total": 4, "page": 1, "limit": 50, "sorts": ["id"]}

    with pytest.raises(DecodeError) as caught:
        converter.structure(wire, Page[Receipt])

    assert caught.value.path == "items[2].created_at"


# --- DecodeError names the bad field -----------------------------------------------------------

Mutation = Callable[[Any], Any]


def _set(path: list[Any], value: Any) -> Mutation:
    def mutate(data: Any) -> Any:
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
        return data

    return mutate


def _delete(path: list[Any]) -> Mutation:
    def mutate(data: Any) -> Any:
        target = data
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]
        return data

    return mutate


LIST_BREAKAGES: list[tuple[str, Mutation, str]] = [
    ("T separator", _set([3, "created_at"], "2025-08-13T08:00:00"), "data[3].created_at"),
    ("offset", _set([0, "updated_at"], "2025-08-12 13:05:00Z"), "data[0].updated_at"),
    ("week date", _set([0, "closed_at"], "2025-W33-2 13:05:00"), "data[0].closed_at"),
    ("bad day", _set([1, "created_at"], "2025-02-30 10:00:00"), "data[1].created_at"),
    ("epoch", _set([1, "created_at"], 1755000000), "data[1].created_at"),
    (
        "string money",
        _set([0, "payment_methods", 1, "amount"], "10000"),
        "data[0].payment_methods[1].amount",
    ),
    (
        "missing amount",
        _delete([0, "payment_methods", 1, "amount"]),
        "data[0].payment_methods[1].amount",
    ),
    ("null name", _set([1, "payment_methods", 0, "name"], None), "data[1].payment_methods[0].name"),
    ("bool money", _set([0, "total"], True), "data[0].total"),
    ("nan money", _set([0, "total"], float("nan")), "data[0].total"),
    ("inf money", _set([2, "remaining"], float("-inf")), "data[2].remaining"),
    ("missing id", _delete([1, "id"]), "data[1].id"),
    ("null id", _set([1, "id"], None), "data[1].id"),
    ("bool id", _set([2, "id"], True), "data[2].id"),
    ("float id", _set([2, "id"], 10952.0), "data[2].id"),
    ("string status", _set([1, "status"], "2"), "data[1].status"),
    ("bool status", _set([1, "status"], False), "data[1].status"),
    ("number order status", _set([1, "order_status"], 5), "data[1].order_status"),
    ("float guests", _set([0, "guests"], 2.0), "data[0].guests"),
    ("string flag", _set([0, "lock"], "yes"), "data[0].lock"),
    ("object scalar", _set([1, "terminal_updated_at"], {"x": 1}), "data[1].terminal_updated_at"),
    ("short date", _set([0, "shift_date"], "2025-8-12"), "data[0].shift_date"),
    ("datetime as date", _set([0, "shift_date"], "2025-08-12 00:00:00"), "data[0].shift_date"),
    ("meta as non-empty list", _set([0, "meta"], ["x"]), "data[0].meta"),
    ("nested object", _set([0, "meta", "sale_type"], "In-store"), "data[0].meta.sale_type"),
    (
        "nested money",
        _set([1, "meta", "availiableDeposit"], "12.5"),
        "data[1].meta.availiableDeposit",
    ),
    (
        "fails not a list",
        _set([1, "meta", "check_close_event", "fails"], {}),
        "data[1].meta.check_close_event.fails",
    ),
    ("null payments", _set([0, "payment_methods"], None), "data[0].payment_methods"),
    ("payments object", _set([0, "payment_methods"], {"id": 1}), "data[0].payment_methods"),
    ("payment not object", _set([0, "payment_methods", 0], 20000), "data[0].payment_methods[0]"),
    ("item not object", _set([2], "oops"), "data[2]"),
    ("int properties", _set([3, "properties", "daily_id"], "1"), "data[3].properties.daily_id"),
]


@pytest.mark.parametrize(
    ("mutate", "path"), [c[1:] for c in LIST_BREAKAGES], ids=[c[0] for c in LIST_BREAKAGES]
)
def test_a_broken_list_raises_decode_error_naming_the_field(mutate: Mutation, path: str) -> None:
    wire = mutate(samples.data("receipt_list_page"))

    with pytest.raises(DecodeError) as caught:
        decode_receipts(wire)

    assert caught.value.path == path
    assert str(caught.value).startswith(f"{path}: ")


PRODUCT_BREAKAGES: list[tuple[str, Mutation, str]] = [
    (
        "string price",
        _set(["receipt_products", 1, "meta", "product", "price"], "3.5"),
        "data.receipt_products[1].meta.product.price",
    ),
    (
        "float count",
        _set(["receipt_products", 0, "modificators", 1, "count"], 1.5),
        "data.receipt_products[0].modificators[1].count",
    ),
    ("products object", _set(["receipt_products"], {}), "data.receipt_products"),
    ("missing line id", _delete(["receipt_products", 2, "id"]), "data.receipt_products[2].id"),
    (
        "line timestamp",
        _set(["receipt_products", 2, "updated_at"], "15:05"),
        "data.receipt_products[2].updated_at",
    ),
    (
        "taxes object",
        _set(["receipt_products", 1, "taxes"], {"id": 1}),
        "data.receipt_products[1].taxes",
    ),
]


@pytest.mark.parametrize(
    ("mutate", "path"), [c[1:] for c in PRODUCT_BREAKAGES], ids=[c[0] for c in PRODUCT_BREAKAGES]
)
def test_a_broken_line_item_raises_decode_error_naming_the_field(
    mutate: Mutation, path: str
) -> None:
    wire = mutate(samples.data("receipt_with_products"))

    with pytest.raises(DecodeError) as caught:
        decode_receipt(wire)

    assert caught.value.path == path


@pytest.mark.parametrize(
    ("mutate", "path"),
    [
        (_delete(["closed_at"]), "data.closed_at"),
        (_set(["closed_at"], None), "data.closed_at"),
        (_set(["payment_methods", 1, "id"], "2"), "data.payment_methods[1].id"),
    ],
)
def test_a_broken_close_response_raises_decode_error(mutate: Mutation, path: str) -> None:
    wire = mutate(samples.data("close_response"))

    with pytest.raises(DecodeError) as caught:
        decode_closed_receipt(wire)

    assert caught.value.path == path


@pytest.mark.parametrize("body", [None, "text", 5, [], {"id": 1}], ids=repr)
def test_a_list_that_is_not_an_array_names_its_root(body: Any) -> None:
    if body == []:
        assert decode_receipts(body) == []
        return
    with pytest.raises(DecodeError) as caught:
        decode_receipts(body)

    assert caught.value.path == "data"


@pytest.mark.parametrize("body", [None, "text", 5, [], [{"id": 1}]], ids=repr)
def test_a_receipt_that_is_not_an_object_names_its_root(body: Any) -> None:
    with pytest.raises(DecodeError) as caught:
        decode_receipt(body)

    assert caught.value.path == "data"
    assert "expected an object" in str(caught.value)


def test_the_caller_chooses_the_root_of_the_path() -> None:
    wire = samples.data("receipt_minimal")
    wire["created_at"] = "soon"

    with pytest.raises(DecodeError) as caught:
        decode_receipt(wire, path="body.data")

    assert caught.value.path == "body.data.created_at"


def test_converter_structure_raises_decode_error_with_a_relative_path() -> None:
    wire = samples.data("receipt_with_products")
    wire["receipt_products"][0]["total"] = "17"

    with pytest.raises(DecodeError) as caught:
        converter.structure(wire, Receipt)

    assert caught.value.path == "receipt_products[0].total"


def test_error_messages_stay_short_for_huge_values() -> None:
    wire = {"id": 1, "total": [list(range(1000))] * 50}

    with pytest.raises(DecodeError) as caught:
        decode_receipt(wire)

    assert len(str(caught.value)) < 200


# --- both decode paths agree -------------------------------------------------------------------


@pytest.mark.parametrize("wire", samples.receipt_dicts(), ids=lambda d: str(d["id"]))
def test_the_fast_path_decodes_every_sample_like_the_slow_path(wire: dict[str, Any]) -> None:
    fast = _wire.fast_decoder(Receipt)(copy.deepcopy(wire))
    slow = _wire.structure_slow(Receipt, wire, "data")

    assert fast == slow
    assert canonical(converter.unstructure(fast)) == canonical(converter.unstructure(slow))


def test_subclasses_of_dict_list_and_int_decode_through_the_slow_path() -> None:
    wire = samples.data("receipt_list_page")[0]
    odd = OrderedDict(wire)
    odd["payment_methods"] = tuple(OrderedDict(p) for p in wire["payment_methods"])
    odd["status"] = ReceiptStatus.CLOSED

    assert decode_receipt(odd) == decode_receipt(wire)
    assert decode_receipts((wire,)) == [decode_receipt(wire)]


# --- timestamps and the close body -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-08-12 13:05:00", datetime(2025, 8, 12, 13, 5, 0)),
        ("0001-01-01 00:00:00", datetime(1, 1, 1)),
        ("9999-12-31 23:59:59", datetime(9999, 12, 31, 23, 59, 59)),
    ],
)
def test_parse_and_format_timestamp_are_inverse(text: str, expected: datetime) -> None:
    assert parse_timestamp(text) == expected
    assert format_timestamp(expected) == text


@pytest.mark.parametrize(
    "text",
    [
        "2025-08-12T13:05:00",
        "2025-08-12 13:05",
        "2025-08-12 13:05:00.5",
        "2025-08-12 13:05:00Z",
        "2025-08-12 13:05+04",
        "2025-W33-2 13:05:00",
        "20250812 13:05:00  ",
        "2025-08-12 24:00:00",
        "2025-02-29 10:00:00",
        "2025-08-12 1\uff13:05:00",  # a fullwidth digit
        "",
    ],
)
def test_parse_timestamp_is_strict(text: str) -> None:
    with pytest.raises(ValueError, match="YYYY-MM-DD HH:mm:ss"):
        parse_timestamp(text)


def test_format_timestamp_drops_microseconds_and_refuses_aware_datetimes() -> None:
    assert format_timestamp(datetime(2025, 8, 12, 13, 5, 0, 999999)) == "2025-08-12 13:05:00"
    aware = datetime(2025, 8, 12, 13, 5, tzinfo=timezone(timedelta(hours=4)))

    with pytest.raises(ClientValueError, match="naive datetime"):
        format_timestamp(aware)


def test_encode_payment_methods_writes_the_close_body_items() -> None:
    methods = [
        PaymentMethod(id=1, name="Cash", amount=8140),
        PaymentMethod(id=2, name="Card", amount=8.14),
        PaymentMethod(id=3, name="Gift", amount=Decimal("12.50"), extra={"note": "not sent"}),
    ]

    body = encode_payment_methods(methods)

    assert canonical(body) == canonical(
        [
            {"id": 1, "name": "Cash", "amount": 8140},
            {"id": 2, "name": "Card", "amount": 8.14},
            {"id": 3, "name": "Gift", "amount": 12.5},
        ]
    )
    assert json.loads(json.dumps(body)) == body


def test_the_money_memo_stays_bounded() -> None:
    clear_caches()
    limit = _wire._kinds._MONEY_MEMO_MAX
    wire = [{"id": i, "total": i + 0.25, "subtotal": 10_000 + i} for i in range(limit + 10)]

    receipts = decode_receipts(wire)

    assert [r.total for r in receipts[-2:]] == [
        Decimal(f"{limit + 8}.25"),
        Decimal(f"{limit + 9}.25"),
    ]
    assert 0 < len(_wire._kinds._FLOAT_MONEY) <= limit
    assert 0 < len(_wire._kinds._INT_MONEY) <= limit
