"""From a web-shop order to a closed receipt: create, accept at the POS, close, complete.

    python examples/order_to_close.py

A web shop creates an order with its own ``order_number`` (so a lost answer is
reconciled, never doubled: API §12 has no idempotency key). The POS accepts it,
which opens a receipt (API §9.11). The worker finds that receipt through
``orders.get(id, include_receipt=True)``, closes it with the order's amount and
marks it COMPLETED. ``receipts.update`` is not on this branch yet, so the last
step goes through ``client.request("PATCH", ...)`` (safe: it sets a state).
"""

from __future__ import annotations

import asyncio
from decimal import Decimal

from clopos_async import (
    CloposClient,
    Order,
    OrderCustomer,
    OrderProduct,
    PaymentMethod,
    RetryPolicy,
)
from clopos_async.testing import SandboxServer


def shown(value: object) -> str:
    """An enum member's wire value; any other value as it is."""
    return str(getattr(value, "value", value))


def order_amount(order: Order) -> Decimal:
    """What the customer pays: each line's price (and modifiers) times count, plus delivery."""
    payload = order.payload
    if payload is None or payload.products is None:
        raise ValueError(f"order {order.id} has no lines")
    total = payload.delivery_fee or Decimal(0)
    for line in payload.products:
        unit = line.price or Decimal(0)
        for modifier in line.modifiers or ():
            unit += Decimal(str(modifier.get("price", 0))) * modifier.get("count", 1)
        total += unit * (line.count or 0)
    return total


async def web_shop(clopos: CloposClient) -> Order:
    return await clopos.orders.create(
        sale_type_id=2,
        venue_id=1,
        customer=OrderCustomer(id=1, name="Aysel", phone="994500000001", address="1 Nizami St"),
        products=[
            OrderProduct(product_id=3, count=2, price="8.50", product_name="Plov"),
            OrderProduct(product_id=5, count=1, price="3.20", note="no ice"),
        ],
        delivery_fee=2,
        order_number="WEB-1042",
    )


async def close_accepted(clopos: CloposClient, order_id: int) -> None:
    order = await clopos.orders.get(order_id, include_receipt=True)
    if order.receipt is None:
        raise RuntimeError(f"order {order_id} has no receipt yet: still {order.status}")
    amount = order_amount(order)
    closed = await clopos.receipts.close(
        order.receipt.id, [PaymentMethod(id=2, name="Card", amount=amount)]
    )
    print(f"closed receipt {closed.id} of order {order.id} for {amount}")
    await clopos.request(
        "PATCH", f"/receipts/{closed.id}", json={"order_status": "COMPLETED"}, safe=True
    )
    receipt = await clopos.receipts.get(closed.id)
    print(f"receipt {receipt.id}: status {receipt.status}, {shown(receipt.order_status)}")


async def main() -> None:
    async with SandboxServer(receipts=20) as sandbox:
        # The shop's first answer is lost after the order was made: the SDK finds it.
        sandbox.fault("/orders", method="POST", attempts=[1], reset="after")
        async with sandbox.client(retry=RetryPolicy(base=0.01, cap=0.05)) as clopos:
            order = await web_shop(clopos)
            print(f"order {order.id} ({order.order_number}) is {shown(order.status)}")
            again = await web_shop(clopos)  # the shop's message, delivered twice
            made = sandbox.changes_to("orders", "create")
            print(f"created once: {len(made)} order for 2 calls and a lost answer ({again.id})")
            sandbox.accept_order(order.id)  # a clerk accepts it at the POS
            await close_accepted(clopos, order.id)


if __name__ == "__main__":
    asyncio.run(main())
