"""Receipt models (API §10.1-10.3): the receipt, its line items, payments and snapshots.

Attribute names are the wire field names (API §10), sic (``totalCost``,
``availiableDeposit``). Every wire model keeps the keys it does not know in
``extra`` and remembers, privately, which known keys were absent on the wire, so
that the converter (``clopos_async._wire``) writes back exactly the keys that came in.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import Enum, IntEnum
from typing import Any

import attrs

from clopos_async.models._checks import (
    check_id,
    check_name,
    money,
    money_converters,
    payment_amount,
)
from clopos_async.models._types import EpochMillis


class ReceiptStatus(IntEnum):
    """Receipt ``status`` (API §11). Unknown values stay plain ints on decoded receipts."""

    OPEN = 1
    CLOSED = 2


class ReceiptOrderStatus(str, Enum):
    """A receipt's ``order_status`` (API §11). Unknown values stay plain strings."""

    NEW = "NEW"
    SCHEDULED = "SCHEDULED"
    IN_PROGRESS = "IN_PROGRESS"
    READY = "READY"
    PICKED_UP = "PICKED_UP"
    COMPLETED = "COMPLETED"
    CANCELLED = "CANCELLED"


# --- receipts (API §10.1-10.3) ----------------------------------------------------------------
# weakref_slot=False keeps each model's slot layout plain, which lets the converter fill a
# layout twin and then hand the instance its frozen class (see _wire/_fast.py): decoding
# is on the hot path of every list call.


@attrs.frozen(kw_only=True, slots=True, weakref_slot=False, field_transformer=money_converters)
class PaymentMethod:
    """One payment on a receipt, and one item of a close body (API §10.3, §9.12).

    ``PaymentMethod(id=2, name="Cash", amount=8140)``: ``amount`` accepts int, str,
    Decimal or float and is stored as a Decimal.
    """

    id: int = attrs.field(validator=check_id)
    name: str = attrs.field(validator=check_name)
    amount: Decimal = attrs.field(converter=payment_amount)
    extra: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    _absent: frozenset[str] = attrs.field(factory=frozenset, init=False, repr=False)


@attrs.frozen(kw_only=True, slots=True, weakref_slot=False, field_transformer=money_converters)
class ProductSnapshot:
    """``meta.product`` of a line item: the catalog product as it was at sale time."""

    name: str | None = None
    type: str | None = None
    price: Decimal | None = attrs.field(default=None, converter=money)
    barcode: str | None = None
    extra: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    _absent: frozenset[str] = attrs.field(factory=frozenset, init=False, repr=False)


@attrs.frozen(kw_only=True, slots=True, weakref_slot=False, field_transformer=money_converters)
class ReceiptProductMeta:
    """``meta`` of a line item (API §10.2)."""

    product: ProductSnapshot | None = None
    extra: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    _absent: frozenset[str] = attrs.field(factory=frozenset, init=False, repr=False)


@attrs.frozen(kw_only=True, slots=True, weakref_slot=False, field_transformer=money_converters)
class Modificator:
    """One modifier on a line item (``with[]=receipt_products.modificators``).

    The API does not document this shape; the common keys are modelled and any
    other key is kept in ``extra``.
    """

    id: int | None = None
    name: str | None = None
    price: Decimal | None = attrs.field(default=None, converter=money)
    count: int | None = None
    total: Decimal | None = attrs.field(default=None, converter=money)
    extra: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    _absent: frozenset[str] = attrs.field(factory=frozenset, init=False, repr=False)


@attrs.frozen(kw_only=True, slots=True, weakref_slot=False, field_transformer=money_converters)
class ReceiptProduct:
    """One line item of a receipt (API §10.2 plus the SDK-observed extra fields)."""

    id: int = attrs.field(validator=check_id)
    cid: str | None = None
    product_id: int | None = None
    count: int | None = None
    portion_size: Decimal | None = attrs.field(default=None, converter=money)
    total: Decimal | None = attrs.field(default=None, converter=money)
    price: Decimal | None = attrs.field(default=None, converter=money)
    subtotal: Decimal | None = attrs.field(default=None, converter=money)
    is_gift: bool | int | None = None
    discount_type: int | None = None
    discount_value: Decimal | None = attrs.field(default=None, converter=money)
    discount_rate: Decimal | None = attrs.field(default=None, converter=money)
    total_discount: Decimal | None = attrs.field(default=None, converter=money)
    receipt_discount: Decimal | None = attrs.field(default=None, converter=money)
    loyalty_type: str | int | float | None = None
    loyalty_value: Decimal | None = attrs.field(default=None, converter=money)
    meta: ReceiptProductMeta | None = None
    modificators: tuple[Modificator, ...] | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    receipt_id: int | None = None
    product_hash: str | None = None
    preprint_count: int | None = None
    station_printed_count: int | None = None
    station_aborted_count: int | None = None
    seller_id: int | None = None
    cost: Decimal | None = attrs.field(default=None, converter=money)
    terminal_updated_at: str | int | float | None = None
    deleted_at: datetime | None = None
    receipt_product_modificators: tuple[Any, ...] | None = attrs.field(default=None, hash=False)
    taxes: tuple[Any, ...] | None = attrs.field(default=None, hash=False)
    extra: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    _absent: frozenset[str] = attrs.field(factory=frozenset, init=False, repr=False)


@attrs.frozen(kw_only=True, slots=True, weakref_slot=False, field_transformer=money_converters)
class SaleTypeSnapshot:
    """``meta.sale_type`` of a receipt."""

    name: str | None = None
    extra: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    _absent: frozenset[str] = attrs.field(factory=frozenset, init=False, repr=False)


@attrs.frozen(kw_only=True, slots=True, weakref_slot=False, field_transformer=money_converters)
class UserSnapshot:
    """``meta.user`` of a receipt."""

    name: str | None = None
    extra: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    _absent: frozenset[str] = attrs.field(factory=frozenset, init=False, repr=False)


@attrs.frozen(kw_only=True, slots=True, weakref_slot=False, field_transformer=money_converters)
class CheckCloseEvent:
    """``meta.check_close_event`` of a receipt; ``fails`` items are kept as decoded."""

    checked: bool | int | None = None
    operated_at: str | int | float | None = None
    fails: tuple[Any, ...] | None = attrs.field(default=None, hash=False)
    extra: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    _absent: frozenset[str] = attrs.field(factory=frozenset, init=False, repr=False)


@attrs.frozen(kw_only=True, slots=True, weakref_slot=False, field_transformer=money_converters)
class ReceiptMeta:
    """``meta`` of a receipt (API §10.1). ``terminal_updated_at`` is epoch milliseconds."""

    preprint_count: int | None = None
    sale_type: SaleTypeSnapshot | None = None
    user: UserSnapshot | None = None
    terminal_updated_at: EpochMillis | None = None
    availiableDeposit: Decimal | None = attrs.field(default=None, converter=money)
    check_close_event: CheckCloseEvent | None = None
    extra: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    _absent: frozenset[str] = attrs.field(factory=frozenset, init=False, repr=False)


@attrs.frozen(kw_only=True, slots=True, weakref_slot=False, field_transformer=money_converters)
class ReceiptProperties:
    """``properties`` of a receipt: the venue's daily and monthly receipt numbers."""

    daily_id: int | None = None
    monthly_id: int | None = None
    extra: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    _absent: frozenset[str] = attrs.field(factory=frozenset, init=False, repr=False)


@attrs.frozen(kw_only=True, slots=True, weakref_slot=False, field_transformer=money_converters)
class Receipt:
    """A receipt (API §10.1 plus the "Additional fields" of the OpenAPI/v1 schema).

    Only ``id`` is required. ``receipt_products`` is ``None`` unless the receipt was
    fetched with ``include=["receipt_products"]``. ``status`` and ``order_status``
    keep unknown values as the raw int / str.
    """

    id: int = attrs.field(validator=check_id)
    cid: str | None = None
    venue_id: int | None = None
    customer_id: int | None = None
    user_id: int | None = None
    terminal_id: int | None = None
    sale_type_id: int | None = None
    source: str | None = None
    guests: int | None = None
    status: ReceiptStatus | int | None = None
    order_status: ReceiptOrderStatus | str | None = None
    order_number: str | None = None
    lock: bool | int | None = None
    inventory_status: int | None = None
    report_status: int | None = None
    printed: bool | int | None = None
    total: Decimal | None = attrs.field(default=None, converter=money)
    subtotal: Decimal | None = attrs.field(default=None, converter=money)
    original_subtotal: Decimal | None = attrs.field(default=None, converter=money)
    gift_total: Decimal | None = attrs.field(default=None, converter=money)
    discount_type: int | None = None
    discount_value: Decimal | None = attrs.field(default=None, converter=money)
    discount_rate: Decimal | None = attrs.field(default=None, converter=money)
    total_discount: Decimal | None = attrs.field(default=None, converter=money)
    service_charge: Decimal | None = attrs.field(default=None, converter=money)
    service_charge_value: Decimal | None = attrs.field(default=None, converter=money)
    delivery_fee: Decimal | None = attrs.field(default=None, converter=money)
    remaining: Decimal | None = attrs.field(default=None, converter=money)
    i_tax: Decimal | None = attrs.field(default=None, converter=money)
    e_tax: Decimal | None = attrs.field(default=None, converter=money)
    total_tax: Decimal | None = attrs.field(default=None, converter=money)
    by_cash: Decimal | None = attrs.field(default=None, converter=money)
    by_card: Decimal | None = attrs.field(default=None, converter=money)
    payment_methods: tuple[PaymentMethod, ...] = ()
    fiscal_id: str | None = None
    loyalty_type: str | int | float | None = None
    loyalty_value: Decimal | None = attrs.field(default=None, converter=money)
    address: str | None = None
    description: str | None = None
    meta: ReceiptMeta | None = None
    properties: ReceiptProperties | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    closed_at: datetime | None = None
    shift_date: date | None = None
    deleted_at: datetime | None = None
    receipt_products: tuple[ReceiptProduct, ...] | None = None
    cash_shift_cid: str | None = None
    open_by_user_id: int | None = None
    close_by_user_id: int | None = None
    courier_id: int | None = None
    seller_id: int | None = None
    closed_terminal_id: int | None = None
    service_notification_id: int | None = None
    table_id: int | None = None
    hall_id: int | None = None
    is_returns: bool | int | None = None
    suspicion: int | None = None
    totalCost: Decimal | None = attrs.field(default=None, converter=money)
    rps_discount: Decimal | None = attrs.field(default=None, converter=money)
    terminal_version: str | None = None
    terminal_updated_at: str | int | float | None = None
    gift_count: int | None = None
    customer_discount_type: int | None = None
    local_status: int | None = None
    extra: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    _absent: frozenset[str] = attrs.field(factory=frozenset, init=False, repr=False)


@attrs.frozen(kw_only=True, slots=True, weakref_slot=False, field_transformer=money_converters)
class ClosedReceipt:
    """The ``data`` of a successful close (API §9.12): not a full receipt."""

    id: int = attrs.field(validator=check_id)
    closed_at: datetime
    payment_methods: tuple[PaymentMethod, ...] = ()
    extra: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    _absent: frozenset[str] = attrs.field(factory=frozenset, init=False, repr=False)
