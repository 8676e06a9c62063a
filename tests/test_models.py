"""The attrs models as users build and read them: money conversion, checks, enums, Page."""

from __future__ import annotations

import pickle
from datetime import datetime
from decimal import Decimal
from typing import Any

import attrs
import pytest

from clopos_async._errors import ClientValueError
from clopos_async._rate_info import RateLimitInfo
from clopos_async.models import (
    ClosedReceipt,
    Page,
    PaymentMethod,
    Receipt,
    ReceiptMeta,
    ReceiptOrderStatus,
    ReceiptProduct,
    ReceiptStatus,
)

# --- PaymentMethod.amount (the close body users write) -----------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (8140, Decimal("8140")),
        ("8.14", Decimal("8.14")),
        (Decimal("12.50"), Decimal("12.50")),
        # Floats go through repr: 8.14, not 8.1400000000000005684341886080801486968994140625.
        (8.14, Decimal("8.14")),
        (30000.0, Decimal("30000.0")),
        (0, Decimal("0")),
    ],
)
def test_payment_amount_accepts_numbers_and_stores_a_decimal(given: Any, expected: Decimal) -> None:
    method = PaymentMethod(id=2, name="Cash", amount=given)

    assert type(method.amount) is Decimal
    assert method.amount == expected
    assert str(method.amount) == str(expected)


@pytest.mark.parametrize(
    "bad",
    [
        True,
        False,
        float("nan"),
        float("inf"),
        float("-inf"),
        "NaN",
        "Infinity",
        "abc",
        "",
        None,
        [1],
    ],
)
def test_payment_amount_rejects_non_finite_and_non_numbers_naming_amount(bad: Any) -> None:
    with pytest.raises(ClientValueError) as caught:
        PaymentMethod(id=2, name="Cash", amount=bad)

    message = str(caught.value)
    assert "amount" in message
    assert repr(bad) in message
    assert "finite number" in message


@pytest.mark.parametrize(("field", "bad"), [("id", True), ("id", "2"), ("id", 2.0), ("name", 5)])
def test_payment_method_checks_id_and_name(field: str, bad: Any) -> None:
    arguments: dict[str, Any] = {"id": 2, "name": "Cash", "amount": 1, field: bad}

    with pytest.raises(ClientValueError, match=f"PaymentMethod.{field}="):
        PaymentMethod(**arguments)


def test_payment_method_is_frozen_kw_only_and_slotted() -> None:
    method = PaymentMethod(id=2, name="Cash", amount=8140)

    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        method.amount = Decimal(1)  # type: ignore[misc]
    with pytest.raises(TypeError):
        PaymentMethod(2, "Cash", 8140)  # type: ignore[call-arg]
    assert not hasattr(method, "__dict__")


# --- Receipt and friends -----------------------------------------------------------------------


def test_a_receipt_needs_only_an_id_and_defaults_the_rest() -> None:
    receipt = Receipt(id=10950)

    assert receipt.total is None
    assert receipt.created_at is None
    assert receipt.payment_methods == ()
    assert receipt.receipt_products is None
    assert receipt.extra == {}


def test_money_fields_of_hand_built_models_convert_like_payment_amounts() -> None:
    receipt = Receipt(id=1, total=8140, subtotal=8.14, remaining="0", totalCost=None)
    meta = ReceiptMeta(availiableDeposit=12.5)
    line = ReceiptProduct(id=5, price=2.4)

    assert (receipt.total, receipt.subtotal, receipt.remaining) == (
        Decimal(8140),
        Decimal("8.14"),
        Decimal(0),
    )
    assert receipt.totalCost is None
    assert meta.availiableDeposit == Decimal("12.5")
    assert str(line.price) == "2.4"


@pytest.mark.parametrize(("field", "bad"), [("total", float("nan")), ("by_cash", True)])
def test_bad_money_on_a_receipt_names_the_field(field: str, bad: Any) -> None:
    with pytest.raises(ClientValueError, match=f"Receipt.{field}="):
        Receipt(id=1, **{field: bad})


def test_receipt_ids_must_be_ints() -> None:
    with pytest.raises(ClientValueError, match=r"Receipt\.id='7'"):
        Receipt(id="7")  # type: ignore[arg-type]


def test_models_hash_and_compare_by_value_and_pickle() -> None:
    first = Receipt(id=1, total=5, created_at=datetime(2025, 8, 12, 10, 0, 0))
    second = Receipt(id=1, total=Decimal(5), created_at=datetime(2025, 8, 12, 10, 0, 0))

    assert first == second
    assert hash(first) == hash(second)
    assert pickle.loads(pickle.dumps(first)) == first
    assert first != attrs.evolve(first, total=6)


def test_unknown_keys_are_kept_but_not_hashed() -> None:
    # JSON values in extra may be lists or dicts: the hash must still work.
    receipt = Receipt(id=1, extra={"partner": {"ids": [1, 2]}})

    assert hash(receipt) == hash(Receipt(id=1))
    assert receipt != Receipt(id=1)


def test_repr_hides_the_absent_key_bookkeeping() -> None:
    assert "absent" not in repr(Receipt(id=1))
    assert "absent" not in repr(PaymentMethod(id=1, name="Cash", amount=1))


def test_closed_receipt_holds_the_close_result() -> None:
    methods = (PaymentMethod(id=1, name="Cash", amount=8140),)
    closed = ClosedReceipt(
        id=10952, closed_at=datetime(2025, 8, 12, 19, 0), payment_methods=methods
    )

    assert closed.payment_methods[0].amount == Decimal(8140)
    assert closed.extra == {}


# --- enums (API §11) ---------------------------------------------------------------------------


def test_receipt_status_values() -> None:
    assert [(s.name, s.value) for s in ReceiptStatus] == [("OPEN", 1), ("CLOSED", 2)]
    assert int(ReceiptStatus.OPEN) == 1
    assert ReceiptStatus(2) is ReceiptStatus.CLOSED


def test_order_status_holds_the_receipt_order_status_values() -> None:
    assert [s.value for s in ReceiptOrderStatus] == [
        "NEW",
        "SCHEDULED",
        "IN_PROGRESS",
        "READY",
        "PICKED_UP",
        "COMPLETED",
        "CANCELLED",
    ]
    assert ReceiptOrderStatus("READY") == "READY"


# --- Page --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "limit", "page", "page_count", "has_next"),
    [
        (0, 50, 1, 0, False),
        (1, 50, 1, 1, False),
        (50, 50, 1, 1, False),
        (51, 50, 1, 2, True),
        (51, 50, 2, 2, False),
        (120, 50, 2, 3, True),
        (120, 50, 3, 3, False),
        (7, 1, 6, 7, True),
    ],
)
def test_page_count_and_has_next(
    total: int, limit: int, page: int, page_count: int, has_next: bool
) -> None:
    result: Page[int] = Page(items=(), total=total, page=page, limit=limit)

    assert result.page_count == page_count
    assert result.has_next is has_next


def test_page_keeps_items_and_sorts() -> None:
    page = Page(items=(Receipt(id=1), Receipt(id=2)), total=2, page=1, limit=50, sorts=("id",))

    assert [r.id for r in page.items] == [1, 2]
    assert page.sorts == ("id",)


def test_rate_limit_info_is_unchanged() -> None:
    info = RateLimitInfo(limit=300, remaining=299, reset=60.0)

    assert attrs.asdict(info) == {"limit": 300, "remaining": 299, "reset": 60.0}
