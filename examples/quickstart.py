"""Quickstart: list a page, iterate every receipt, get one, close one.

Runs against an embedded sandbox (synthetic data, no credentials, no network):

    python examples/quickstart.py

Against the real API, replace the sandbox with ``CloposClient.from_env()`` and set
CLOPOS_CLIENT_ID, CLOPOS_CLIENT_SECRET, CLOPOS_BRAND and CLOPOS_INTEGRATOR_ID.
"""

from __future__ import annotations

import asyncio
from decimal import Decimal

from clopos_async import PaymentMethod, ReceiptStatus
from clopos_async.testing import SandboxServer

WEEK_FROM, WEEK_TO = "2025-08-04", "2025-08-10"


async def main() -> None:
    async with SandboxServer(receipts=300, seed=1) as sandbox, sandbox.client() as clopos:
        # Await a pager for one page; the envelope's total says how many match.
        page = await clopos.receipts.list(date_from=WEEK_FROM, date_to=WEEK_TO, limit=10)
        print(f"page {page.page} of {page.page_count}: {len(page.items)} of {page.total} receipts")

        # Iterate it for every receipt, page after page (the pager fetches as you go).
        largest, count = Decimal(0), 0
        week = clopos.receipts.list(
            date_from=WEEK_FROM, date_to=WEEK_TO, status=ReceiptStatus.CLOSED, limit=50
        )
        async for receipt in week:
            largest = max(largest, receipt.total or Decimal(0))  # money is an exact Decimal
            count += 1
        print(f"iterated {count} closed receipts, the largest total {largest}")

        # One receipt with its line items (API with[]=receipt_products).
        one = await clopos.receipts.get(page.items[0].id, include=["receipt_products"])
        products = one.receipt_products or ()
        print(f"got receipt {one.id}: {len(products)} line items, total {one.total}")

        # Close an open receipt, paying its total in cash. Passing the Receipt (not
        # just its id) lets the SDK check the payments add up before sending anything.
        unpaid = (await clopos.receipts.list(status=ReceiptStatus.OPEN, limit=1)).items[0]
        cash = PaymentMethod(id=1, name="Cash", amount=unpaid.total or 0)
        closed = await clopos.receipts.close(unpaid, [cash])
        paid = ", ".join(f"{p.name} {p.amount}" for p in closed.payment_methods)
        print(f"closed receipt {closed.id} at {closed.closed_at}, paid {paid}")


if __name__ == "__main__":
    asyncio.run(main())
