"""The sandbox's ``GET /receipts/{id}/stock-operations`` (API §9.12, §10.16).

One job: derive a receipt's stock write-offs from its line items, so every operation's
``receipt_product_id`` is a line of that receipt and its ``product_id`` that line's
product. Only closed receipts have written stock off; an open one answers ``[]``.
The envelope is the bare ``{"data": [...]}`` of the documented example (API §15 item 8).
"""

from __future__ import annotations

import re
from typing import Any

import orjson

from clopos_async._api._endpoints import STOCK_OPERATIONS
from clopos_async.testing._collections import Handler
from clopos_async.testing._reference import CATALOG, money
from clopos_async.testing._store import ReceiptStore
from clopos_async.testing._wire import Call, Rejected, Reply

#: storage id (the product's station id) -> name.
STORAGES = {1: "Kitchen store", 2: "Bar store"}
_LINES = frozenset({"receipt_products"})


class StockOperationsRoute:
    """The stock operations of the receipts in a ``ReceiptStore``, computed on request."""

    def __init__(self, store: ReceiptStore) -> None:
        self._store = store

    def routes(self) -> list[tuple[re.Pattern[str], dict[str, Handler]]]:
        """The gateway's route: ``GET /receipts/{id}/stock-operations``."""
        pattern = re.escape(STOCK_OPERATIONS.path).replace(re.escape("{id}"), "([^/]+)")
        return [(re.compile(pattern), {"GET": self.list})]

    def operations(self, receipt_id: int) -> list[dict[str, Any]]:
        """The wire dicts of the receipt's write-offs, one per line, in line order."""
        receipt = orjson.loads(self._store.wire_bytes(receipt_id, _LINES))
        if receipt["status"] != 2:
            return []
        return [_operation(line, receipt["closed_at"]) for line in receipt["receipt_products"]]

    def list(self, call: Call, raw_id: str | None) -> Reply:
        """The bare ``data`` list, or 404 ``not_found`` like the other receipt routes."""
        receipt_id = _known(self._store, raw_id)
        body = orjson.dumps({"data": self.operations(receipt_id)})
        return Reply(status=200, body=body)


def _known(store: ReceiptStore, raw_id: str | None) -> int:
    text = raw_id or ""
    if text.isascii() and text.isdigit() and len(text) < 19 and int(text) in store:
        return int(text)
    raise Rejected(404, "not_found", "Receipt not found")


def _operation(line: dict[str, Any], closed_at: str) -> dict[str, Any]:
    product = CATALOG[line["product_id"] - 1]
    count = line["count"]
    unit_cost = product.price * 35 // 100  # the lines' own cost rate (``_lines._line``)
    before = 100 + line["id"] % 50
    storage = product.station_id
    return {
        "id": line["id"], "receipt_id": line["receipt_id"], "receipt_product_id": line["id"],
        "operation_id": None, "product_id": product.id, "stock_id": product.id,
        "storage_id": storage, "quantity": count, "before_quantity": before,
        "after_quantity": before - count, "cost": money(unit_cost),
        "before_cost": money(unit_cost), "total_cost": money(unit_cost * count),
        "operated_at": closed_at, "product": {"id": product.id, "name": product.name},
        "stock": {"id": product.id, "storage": {"id": storage, "name": STORAGES[storage]}},
    }  # fmt: skip
