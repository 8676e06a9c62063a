"""What a test reads and changes in the sandbox's data directly, as the POS would.

One job: the ``SandboxServer`` methods that look at or change its receipts, small
resources and orders without HTTP (seeding more receipts, closing or touching one
"by someone else", accepting an order). Writes made here are not API writes and log
no ``StateChange``, except ``accept_order`` (an order's state, as before).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

import orjson

from clopos_async._errors import ClientValueError
from clopos_async.testing._arguments import check, is_int
from clopos_async.testing._collections import Collection
from clopos_async.testing._orders import OrdersEndpoints
from clopos_async.testing._query import INCLUDES
from clopos_async.testing._reference import wire_datetime
from clopos_async.testing._rules import apply_close, parse_close_body, parse_wire_datetime
from clopos_async.testing._store import ReceiptStore, next_moments
from clopos_async.testing._wire import Rejected


def _naive(value: object) -> bool:
    return value is None or (isinstance(value, datetime) and value.tzinfo is None)


class SandboxData:
    """The data side of ``SandboxServer`` (a mixin: the server sets the three stores)."""

    _store: ReceiptStore
    _collections: dict[str, Collection]
    orders: OrdersEndpoints

    def add_receipts(self, n: int, *, created_at: datetime | None = None) -> list[int]:
        """Create ``n`` receipts; by default after the newest one, one second apart.

        Args:
            n: How many receipts to create (>= 0).
            created_at: The first one's ``created_at`` (naive venue local time); None:
                one second after the newest receipt.

        Returns:
            The new receipts' ids, ascending.

        Raises:
            ClientValueError: ``n`` or ``created_at`` is not allowed.
        """
        check("n", n, is_int(n) and n >= 0, "an int >= 0")
        check("created_at", created_at, _naive(created_at), "a naive datetime or None")
        moments = next_moments(self._store.newest_created_at(), n, created_at)
        return self._store.add(moments)

    def receipt(self, receipt_id: int, *, include: Iterable[str] = ()) -> dict[str, Any]:
        """The receipt's current wire dict (a deep copy), with ``include`` relations.

        Args:
            receipt_id: The receipt's id.
            include: Relations to add, among the ``with[]`` values of ``GET /receipts``.

        Returns:
            The wire dict, as ``GET /receipts/{id}`` would answer it.

        Raises:
            ClientValueError: No such receipt, or an unknown relation.
        """
        self._require_receipt(receipt_id)
        wanted = frozenset(include)
        unknown = sorted(wanted - set(INCLUDES))
        check("include", unknown, not unknown, f"relations among {', '.join(INCLUDES)}")
        return dict(orjson.loads(self._store.wire_bytes(receipt_id, wanted)))

    def rows(self, resource: str) -> list[dict[str, Any]]:
        """The wire dicts (copies) of a small resource, in id order: ``rows("stations")``.

        Args:
            resource: The resource's name, e.g. ``"customers"`` or ``"customer_groups"``.

        Returns:
            Its rows, as the API would send them.

        Raises:
            ClientValueError: No such resource (the message lists them).
        """
        known = self._collections
        check("resource", resource, resource in known, f"one of {sorted(known)}")
        return known[resource].rows()

    def receipt_ids(
        self,
        *,
        date_from: date | None = None,
        date_to: date | None = None,
        status: int | None = None,
    ) -> list[int]:
        """Ascending ids created in the inclusive day range, with ``status`` if given.

        Args:
            date_from: The first day (inclusive); None: no lower bound.
            date_to: The last day (inclusive); None: no upper bound.
            status: 1 (open) or 2 (closed); None: any.

        Returns:
            The matching receipt ids, ascending.
        """
        return self._store.ids(date_from=date_from, date_to=date_to, status=status)

    def close_directly(
        self,
        receipt_id: int,
        payment_methods: list[dict[str, Any]],
        closed_at: str | None = None,
    ) -> None:
        """Close a receipt as "someone else" would (the POS): no ``StateChange`` is logged.

        Args:
            receipt_id: The open receipt to close.
            payment_methods: Wire dicts ``{"id", "name", "amount"}`` summing to its total.
            closed_at: ``Y-m-d H:i:s`` venue local time; None: now.

        Raises:
            ClientValueError: No such receipt, or the payments or moment are invalid.
        """
        self._require_receipt(receipt_id)
        now = datetime.now()
        try:
            order = parse_close_body(orjson.dumps({"payment_methods": payment_methods}))
            moment = now if closed_at is None else parse_wire_datetime(closed_at, "closed_at")
        except Rejected as rejected:
            raise ClientValueError(f"close_directly({receipt_id}): {rejected.message}") from None
        receipt = apply_close(self._store.wire(receipt_id), order.payment_methods, moment, now)
        self._store.replace(receipt_id, receipt)

    def touch(self, receipt_id: int, *, at: datetime | None = None) -> None:
        """Move a receipt's ``updated_at``, as the POS would, for change-feed tests.

        Args:
            receipt_id: The receipt to change.
            at: The new ``updated_at`` (naive venue local time); None: now.

        Raises:
            ClientValueError: No such receipt, or ``at`` is not a naive datetime.
        """
        self._require_receipt(receipt_id)
        check("at", at, _naive(at), "a naive datetime (venue local time) or None")
        receipt = self._store.wire(receipt_id)
        moment = datetime.now() if at is None else at
        receipt["updated_at"] = wire_datetime(moment.replace(microsecond=0))
        self._store.replace(receipt_id, receipt)

    def accept_order(self, order_id: int) -> int:
        """The POS accepts a PENDING order: RECEIVED, with a new open receipt.

        Logs one ``StateChange(resource="orders", action="accept")``.

        Args:
            order_id: A PENDING order's id.

        Returns:
            The id of the open receipt it became.

        Raises:
            ClientValueError: No such order, or it is not PENDING.
        """
        try:
            return self.orders.accept(order_id)
        except (Rejected, ValueError) as refused:  # Rejected: the 404 the routes answer
            reason = refused.message if isinstance(refused, Rejected) else str(refused)
            raise ClientValueError(
                f"order_id={order_id!r} is not allowed: {reason} (a PENDING order's id)"
            ) from None

    def _require_receipt(self, receipt_id: int) -> None:
        if receipt_id not in self._store:
            raise ClientValueError(
                f"receipt_id={receipt_id!r} is not allowed: no such receipt in this sandbox"
            )
