"""``orders.create``: checked before sending, exactly-once by ``order_number`` (DESIGN §2)."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clopos_async import (
    APITimeoutError,
    ClientValueError,
    OrderCustomer,
    OrderModifier,
    OrderProduct,
    OrderStatus,
    OutcomeUnknownError,
    RetryPolicy,
    ServerError,
    TransportError,
)
from clopos_async.resources._order_create import build_request
from clopos_async.testing import SandboxServer

FAST = RetryPolicy(max_attempts=4, base=0.01, cap=0.02)
CUSTOMER = OrderCustomer(id=1, name="Aysel", phone="994500000001", address="1 Nizami St")
LINES = (OrderProduct(product_id=3, count=2, price="8.50"),)


def arguments(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "sale_type_id": 2, "venue_id": 1, "customer": CUSTOMER, "products": LINES,
        "order_number": None, "comment": None, "delivery_fee": None, "discount_type": None,
        "discount_value": None, "service_charge": None, "auto_accept_terminal": None,
        "auto_order_accept": False, "auto_order_sent_to_station": False,
    }  # fmt: skip
    base.update(changes)
    return base


def created(sandbox: SandboxServer) -> list[int]:
    return [c.id for c in sandbox.changes_to("orders", "create")]


# --- the body, checked before anything is sent ------------------------------------------------

money = st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False)
modifiers = st.builds(
    OrderModifier, modifier_id=st.integers(1, 10**6), count=st.integers(1, 50), price=money
)
products = st.builds(
    OrderProduct, product_id=st.integers(1, 10**9), count=st.integers(1, 1000), price=money,
    modifiers=st.lists(modifiers, max_size=3), note=st.none() | st.text(max_size=30),
)  # fmt: skip


@given(lines=st.lists(products, min_size=1, max_size=5), number=st.text(min_size=1, max_size=20))
def test_any_valid_lines_travel_exactly(lines: list[OrderProduct], number: str) -> None:
    if not number.strip():
        number = "N-1"
    body = build_request(**arguments(products=lines, order_number=number)).body
    assert body["order_number"] == number
    assert [p["product_id"] for p in body["products"]] == [p.product_id for p in lines]
    for sent, line in zip(body["products"], lines, strict=True):
        assert Decimal(str(sent["price"])) == line.price
        assert sent["count"] == line.count
        assert len(sent["modifiers"]) == len(line.modifiers)
        assert ("note" in sent) is (line.note is not None)


@given(
    bad=st.sampled_from(
        [
            ("sale_type_id", 0),
            ("venue_id", -1),
            ("venue_id", True),
            ("customer", {"id": 1}),
            ("products", []),
            ("products", "x"),
            ("products", [{"product_id": 1}]),
            ("order_number", "X" * 21),
            ("order_number", ""),
            ("order_number", 12),
            ("delivery_fee", -1),
            ("delivery_fee", "abc"),
            ("discount_type", 3),
            ("discount_value", -0.5),
            ("service_charge", float("nan")),
            ("comment", 5),
            ("auto_accept_terminal", 0),
            ("auto_order_accept", 1),
        ]
    )
)
def test_a_bad_argument_is_named(bad: tuple[str, object]) -> None:
    name, value = bad
    with pytest.raises(ClientValueError, match=name):
        build_request(**arguments(**{name: value}))


@given(
    field=st.sampled_from(["product_id", "count", "price", "portion_size"]),
    value=st.sampled_from([0, -1, None, "x", True, 1.5]),
)
def test_a_bad_line_is_refused_when_made(field: str, value: object) -> None:
    valid: dict[str, Any] = {"product_id": 1, "count": 1, "price": 1}
    valid[field] = value
    allowed = {"price": (0, 1.5), "portion_size": (1.5,)}.get(field, ())
    if value in allowed and not isinstance(value, bool):
        OrderProduct(**valid)
        return
    with pytest.raises(ClientValueError, match=f"OrderProduct.{field}="):
        OrderProduct(**valid)


def test_customer_fields_are_required() -> None:
    for field, value in (("id", 0), ("name", ""), ("phone", None), ("address", 3)):
        fields: dict[str, Any] = {"id": 1, "name": "A", "phone": "1", "address": "x"}
        fields[field] = value
        with pytest.raises(ClientValueError, match=f"OrderCustomer.{field}="):
            OrderCustomer(**fields)


def test_the_flat_discount_and_rate_travel_as_objects() -> None:
    body = build_request(
        **arguments(discount_type=1, discount_value="10", service_charge="0.05", delivery_fee=2)
    ).body
    assert body["discount"] == {"discount_type": 1, "discount_value": 10}
    assert body["service_charge"] == {"enabled": True, "value": 0.05}
    assert body["delivery_fee"] == 2
    assert "order_number" not in body


async def test_bad_create_sends_nothing(sandbox: SandboxServer) -> None:
    async with sandbox.client() as client:
        with pytest.raises(ClientValueError, match="order_number"):
            await client.orders.create(**arguments(order_number="WEB-" + "9" * 20))
    assert sandbox.log == []


# --- the two documented answers (API §15 item 19) --------------------------------------------


@pytest.mark.parametrize("shape", ["payload", "order"])
async def test_either_answer_gives_a_whole_order(sandbox: SandboxServer, shape: Any) -> None:
    sandbox.orders.create_shape = shape
    async with sandbox.client() as client:
        order = await client.orders.create(**arguments(order_number="WEB-1042"))
    (new_id,) = created(sandbox)
    assert order.id == new_id
    assert order.status is OrderStatus.PENDING
    assert order.order_number == "WEB-1042"
    assert order.payload is not None
    assert order.payload.customer is not None
    assert order.payload.customer.id == 1
    reads = sandbox.requests("GET", f"/orders/{new_id}")
    assert len(reads) == (1 if shape == "payload" else 0)


# --- ambiguous failures ----------------------------------------------------------------------

FAULTS: dict[str, dict[str, Any]] = {
    "reset after apply": {"reset": "after"},
    "502 after apply": {"status": 502, "apply": True},
    "answer past the timeout": {"delay": 0.6, "apply": True},
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
@pytest.mark.parametrize("shape", ["payload", "order"])
async def test_with_an_order_number_a_lost_answer_is_one_order(
    sandbox: SandboxServer, fault: str, shape: Any
) -> None:
    sandbox.orders.create_shape = shape
    sandbox.fault("/orders", method="POST", attempts=[1], **FAULTS[fault])
    async with sandbox.client(retry=FAST, timeout=0.3) as client:
        order = await client.orders.create(**arguments(order_number="WEB-7"))
    (new_id,) = created(sandbox)
    assert order.id == new_id
    assert order.order_number == "WEB-7"
    assert len(sandbox.requests("POST", "/orders")) == 1


async def test_not_found_after_a_loss_sends_again_once(sandbox: SandboxServer) -> None:
    sandbox.fault("/orders", method="POST", attempts=[1], reset="before")
    sandbox.fault("/orders", method="POST", attempts=[2], status=503)
    async with sandbox.client(retry=FAST) as client:
        order = await client.orders.create(**arguments(order_number="WEB-8"))
    assert created(sandbox) == [order.id]
    assert [r.status for r in sandbox.requests("POST", "/orders")] == [0, 503, 200]


@pytest.mark.parametrize("fault", sorted(FAULTS))
async def test_without_an_order_number_the_outcome_is_unknown(
    sandbox: SandboxServer, fault: str
) -> None:
    sandbox.fault("/orders", method="POST", attempts=[1], **FAULTS[fault])
    async with sandbox.client(retry=FAST, timeout=0.3) as client:
        with pytest.raises(OutcomeUnknownError) as raised:
            await client.orders.create(**arguments())
    assert isinstance(raised.value.cause, (TransportError, ServerError, APITimeoutError))
    assert raised.value.method == "POST"
    assert raised.value.path == "/orders"
    assert "order_number" in raised.value.check
    assert len(sandbox.requests("POST", "/orders")) == 1
    assert sandbox.requests("GET", "/orders") == []
    await asyncio.sleep(0.7)  # the late answer lands; still exactly one POST, one order
    assert len(created(sandbox)) == 1


@pytest.mark.parametrize("delay", [0.0, 0.01, 0.05])
@pytest.mark.parametrize("callers", [2, 5])
async def test_concurrent_duplicates_make_one_order(
    sandbox: SandboxServer, delay: float, callers: int
) -> None:
    sandbox.latency = delay
    async with sandbox.client(retry=FAST) as client:
        orders = await asyncio.gather(
            *(client.orders.create(**arguments(order_number="WEB-9")) for _ in range(callers))
        )
    assert len(created(sandbox)) == 1
    assert {o.id for o in orders} == set(created(sandbox))
    assert len(sandbox.requests("POST", "/orders")) == 1


async def test_a_redelivered_call_returns_the_first_order(sandbox: SandboxServer) -> None:
    async with sandbox.client() as client:
        first = await client.orders.create(**arguments(order_number="WEB-10"))
    async with sandbox.client() as other_worker:
        again = await other_worker.orders.create(**arguments(order_number="WEB-10"))
        different = await other_worker.orders.create(**arguments(order_number="WEB-11"))
    assert again.id == first.id != different.id
    assert created(sandbox) == [first.id, different.id]
    assert len(sandbox.requests("POST", "/orders")) == 2
