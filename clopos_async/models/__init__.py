"""The typed shapes users read, by domain: attrs classes named after the API's nouns.

Stdlib, attrs and ``_errors`` imports only: wire knowledge (formats, Decimal, unknown
keys) lives in ``clopos_async._wire``. A model is declared once, here; the converter
builds its decoder on first use.
"""

from __future__ import annotations

from clopos_async.models._types import EpochMillis, IsoDatetime, VenueMap
from clopos_async.models.orders import OrderStatus
from clopos_async.models.page import Page
from clopos_async.models.receipts import (
    CheckCloseEvent,
    ClosedReceipt,
    Modificator,
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
from clopos_async.models.venues import Station

__all__ = [
    "CheckCloseEvent",
    "ClosedReceipt",
    "EpochMillis",
    "IsoDatetime",
    "Modificator",
    "OrderStatus",
    "Page",
    "PaymentMethod",
    "ProductSnapshot",
    "Receipt",
    "ReceiptMeta",
    "ReceiptOrderStatus",
    "ReceiptProduct",
    "ReceiptProductMeta",
    "ReceiptProperties",
    "ReceiptStatus",
    "SaleTypeSnapshot",
    "Station",
    "UserSnapshot",
    "VenueMap",
]
