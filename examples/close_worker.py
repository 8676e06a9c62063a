"""A payment worker: "payment arrived" events on an asyncio.Queue close receipts exactly once.

    python examples/close_worker.py

``POST /receipts/{id}/close`` is not idempotent (API §12), yet webhooks arrive
at least once and networks drop responses. The SDK makes each close happen
exactly once: after a lost response it reads the receipt back (reconciles);
a replayed event for a receipt already closed with the same payments succeeds
again; a receipt closed *differently* by someone else raises CloseConflictError,
which a worker hands to a human instead of retrying.
"""

from __future__ import annotations

import asyncio
from typing import NamedTuple

from clopos_async import CloposClient, CloposError, CloseConflictError, PaymentMethod
from clopos_async.testing import SandboxServer


class PaymentArrived(NamedTuple):
    """One event from the payment provider: which receipt, paid how."""

    receipt_id: int
    payments: list[PaymentMethod]


async def worker(name: str, clopos: CloposClient, events: asyncio.Queue[PaymentArrived]) -> None:
    while True:
        event = await events.get()
        try:
            closed = await clopos.receipts.close(event.receipt_id, event.payments)
            print(f"{name}: receipt {closed.id} closed at {closed.closed_at}")
        except CloseConflictError as conflict:
            # Closed by someone else with other payments: retrying cannot fix that.
            print(f"{name}: receipt {conflict.receipt_id} conflict: closed elsewhere")
        except CloposError as error:
            print(f"{name}: receipt {event.receipt_id} failed: {error}")
        finally:
            events.task_done()


async def main() -> None:
    async with SandboxServer(receipts=200, seed=4) as sandbox, sandbox.client() as clopos:
        first, second, third = sandbox.receipt_ids(status=1)[:3]  # three open receipts
        totals = {i: (await clopos.receipts.get(i)).total or 0 for i in (first, second, third)}

        # The sandbox plays the network and the restaurant:
        # - the response to the first close of `second` is lost after the server applied it;
        sandbox.fault(f"/receipts/{second}/close", method="POST", attempts=[1], reset="after")
        # - a waiter closes `third` at the till, by card, before our payment arrives.
        till = [{"id": 2, "name": "Card", "amount": sandbox.receipt(third)["total"]}]
        sandbox.close_directly(third, till)

        events: asyncio.Queue[PaymentArrived] = asyncio.Queue()
        for receipt_id in (first, second, first, third):  # `first` is delivered twice
            cash = PaymentMethod(id=1, name="Cash", amount=totals[receipt_id])
            events.put_nowait(PaymentArrived(receipt_id, [cash]))

        workers = [asyncio.create_task(worker(f"w{n}", clopos, events)) for n in (1, 2)]
        await events.join()
        for task in workers:
            task.cancel()
        await asyncio.gather(*workers, return_exceptions=True)

        print(f"exactly once: the server applied {len(sandbox.closes)} closes for 4 events")


if __name__ == "__main__":
    asyncio.run(main())
