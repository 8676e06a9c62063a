"""The typed shapes users read, by domain: attrs classes named after the API's nouns.

Stdlib, attrs and ``_errors`` imports only: wire knowledge (formats, Decimal, unknown
keys) lives in ``clopos_async._wire``. A model is declared once, here; the converter
builds its decoder on first use.
"""

from __future__ import annotations

from clopos_async.models._types import EpochMillis, IsoDatetime, VenueMap
from clopos_async.models.catalog import (
    Category,
    CategoryType,
    GroupModificator,
    Media,
    ModificatorGroup,
    Product,
    ProductPackage,
    ProductTax,
    ProductType,
    RecipeItem,
)
from clopos_async.models.customers import Balance, Customer, CustomerGroup
from clopos_async.models.orders import (
    Order,
    OrderCustomer,
    OrderCustomerSnapshot,
    OrderLine,
    OrderModifier,
    OrderPayload,
    OrderProduct,
    OrderReceipt,
    OrderService,
    OrderStatus,
)
from clopos_async.models.page import Page
from clopos_async.models.pricing import Price, PriceList, StopListEntry
from clopos_async.models.receipt_lines import (
    Modificator,
    ProductSnapshot,
    ReceiptProduct,
    ReceiptProductMeta,
)
from clopos_async.models.receipts import (
    CheckCloseEvent,
    ClosedReceipt,
    PaymentMethod,
    Receipt,
    ReceiptMeta,
    ReceiptOrderStatus,
    ReceiptProperties,
    ReceiptStatus,
    SaleTypeSnapshot,
    UserSnapshot,
)
from clopos_async.models.sales import PaymentMethodInfo, SaleType
from clopos_async.models.staff import User
from clopos_async.models.stock import Stock, StockOperation, StockProductSnapshot, Storage
from clopos_async.models.venues import Station, Venue

__all__ = [
    "Balance",
    "Category",
    "CategoryType",
    "CheckCloseEvent",
    "ClosedReceipt",
    "Customer",
    "CustomerGroup",
    "EpochMillis",
    "GroupModificator",
    "IsoDatetime",
    "Media",
    "Modificator",
    "ModificatorGroup",
    "Order",
    "OrderCustomer",
    "OrderCustomerSnapshot",
    "OrderLine",
    "OrderModifier",
    "OrderPayload",
    "OrderProduct",
    "OrderReceipt",
    "OrderService",
    "OrderStatus",
    "Page",
    "PaymentMethod",
    "PaymentMethodInfo",
    "Price",
    "PriceList",
    "Product",
    "ProductPackage",
    "ProductSnapshot",
    "ProductTax",
    "ProductType",
    "Receipt",
    "ReceiptMeta",
    "ReceiptOrderStatus",
    "ReceiptProduct",
    "ReceiptProductMeta",
    "ReceiptProperties",
    "ReceiptStatus",
    "RecipeItem",
    "SaleType",
    "SaleTypeSnapshot",
    "Station",
    "Stock",
    "StockOperation",
    "StockProductSnapshot",
    "StopListEntry",
    "Storage",
    "User",
    "UserSnapshot",
    "Venue",
    "VenueMap",
]
