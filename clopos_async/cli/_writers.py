"""Output writers of ``clopos-async export``: receipts to JSONL or CSV bytes.

JSONL: one ``converter.unstructure(receipt)`` per line (the exact wire shape), so
``converter.structure(orjson.loads(line), Receipt)`` gives back an equal Receipt.

CSV: one row per receipt, the fixed columns of ``CSV_COLUMNS`` (a stable contract:
new columns are only ever appended). Every amount, sent or summed here, is written
in one format: its exact value in the shortest plain form (``8140``, ``8.14``; ``30.0``
and ``30`` both ``30``, ``47.80`` and ``47.8`` both ``47.8``), never rounded and never
in scientific notation. Timestamps are ``YYYY-MM-DD HH:mm:ss`` (API §11), a
missing value is an empty cell. ``payment_methods`` is ``id:name:amount`` joined
by ``;``; ``products_count`` is empty unless ``--include receipt_products``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Protocol

import orjson

from clopos_async import PaymentMethod, Receipt, converter


class Writer(Protocol):
    """Turns receipts into the bytes of one output format."""

    def header(self) -> bytes:
        """What the output starts with (b"" when the format has no header)."""
        ...

    def encode(self, receipts: Iterable[Receipt]) -> bytes:
        """The bytes of ``receipts``, whole lines only."""
        ...


class JsonlWriter:
    """One wire-shape JSON object per line."""

    def header(self) -> bytes:
        return b""

    def encode(self, receipts: Iterable[Receipt]) -> bytes:
        return b"".join(
            orjson.dumps(converter.unstructure(receipt), option=orjson.OPT_APPEND_NEWLINE)
            for receipt in receipts
        )


class CsvWriter:
    """One flattened row per receipt under a header of ``CSV_COLUMNS``."""

    def header(self) -> bytes:
        return _csv_bytes([list(CSV_COLUMNS)])

    def encode(self, receipts: Iterable[Receipt]) -> bytes:
        return _csv_bytes(flatten(receipt) for receipt in receipts)


WRITERS: dict[str, Callable[[], Writer]] = {"jsonl": JsonlWriter, "csv": CsvWriter}


def _csv_bytes(rows: Iterable[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)  # RFC 4180: CRLF line ends, quoting as needed
    return buffer.getvalue().encode("utf-8")


# --- flattening ----------------------------------------------------------------------------


def cell(value: object) -> str:
    """One CSV cell: exact money, wire timestamps, enum values, empty for None."""
    if value is None:
        return ""
    if isinstance(value, Enum):  # before int/str: ReceiptStatus is an IntEnum
        return str(value.value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        # One format for every amount, whatever scale the API or a sum gave it (47.80 and
        # 47.8 are one amount); exact, and never scientific notation (1E+3 is 1000).
        return format(value.normalize() if value else Decimal(0), "f")
    if isinstance(value, datetime):  # before date: a datetime is a date
        return value.isoformat(" ", "seconds")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _sale_type(receipt: Receipt) -> object:
    meta = receipt.meta
    return meta.sale_type.name if meta is not None and meta.sale_type is not None else None


def _payments(receipt: Receipt) -> str:
    return ";".join(_payment(method) for method in receipt.payment_methods)


def _payment(method: PaymentMethod) -> str:
    return f"{method.id}:{method.name}:{cell(method.amount)}"


def _paid(receipt: Receipt) -> Decimal:
    return sum((method.amount for method in receipt.payment_methods), Decimal(0))


def _products_count(receipt: Receipt) -> object:
    products = receipt.receipt_products
    return None if products is None else len(products)


def _attribute(name: str) -> Callable[[Receipt], object]:
    def read(receipt: Receipt) -> object:
        return getattr(receipt, name)

    return read


#: The CSV header, in order. A contract: columns are only ever appended, never moved.
CSV_COLUMNS: tuple[str, ...] = (
    "id",
    "cid",
    "venue_id",
    "status",
    "order_status",
    "sale_type_id",
    "sale_type",
    "terminal_id",
    "user_id",
    "customer_id",
    "guests",
    "created_at",
    "closed_at",
    "shift_date",
    "subtotal",
    "discount_type",
    "discount_rate",
    "discount_value",
    "total_discount",
    "service_charge",
    "service_charge_value",
    "delivery_fee",
    "i_tax",
    "e_tax",
    "total_tax",
    "total",
    "remaining",
    "by_cash",
    "by_card",
    "payment_methods",
    "payments_total",
    "products_count",
    "fiscal_id",
    "order_number",
    "source",
)

#: Columns that are not a Receipt attribute of the same name (API §10.1).
_DERIVED: dict[str, Callable[[Receipt], object]] = {
    "sale_type": _sale_type,
    "payment_methods": _payments,
    "payments_total": _paid,
    "products_count": _products_count,
}

_READERS: tuple[Callable[[Receipt], object], ...] = tuple(
    _DERIVED.get(name) or _attribute(name) for name in CSV_COLUMNS
)


def flatten(receipt: Receipt) -> list[str]:
    """The CSV row of ``receipt``, one cell per ``CSV_COLUMNS`` entry."""
    return [cell(read(receipt)) for read in _READERS]
