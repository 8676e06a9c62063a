"""Receipt models (API §10.1-10.3): the receipt, its payments and snapshots.

Its line items (``ReceiptProduct`` and what it holds) live in ``receipt_lines``.

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
from clopos_async.models.receipt_lines import ReceiptProduct


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

    Attributes:
        id: the payment method's id (from ``/payment-methods``).
        name: the payment method's name, e.g. ``"Cash"``, ``"Card"``.
        amount: the amount tendered with this method, as a Decimal.
        extra: wire keys this model does not declare, kept as decoded.
    """

    id: int = attrs.field(validator=check_id)
    name: str = attrs.field(validator=check_name)
    amount: Decimal = attrs.field(converter=payment_amount)
    extra: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    _absent: frozenset[str] = attrs.field(factory=frozenset, init=False, repr=False)


@attrs.frozen(kw_only=True, slots=True, weakref_slot=False, field_transformer=money_converters)
class SaleTypeSnapshot:
    """``meta.sale_type`` of a receipt.

    Attributes:
        name: the sale type's name.
        extra: wire keys this model does not declare, kept as decoded.
    """

    name: str | None = None
    extra: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    _absent: frozenset[str] = attrs.field(factory=frozenset, init=False, repr=False)


@attrs.frozen(kw_only=True, slots=True, weakref_slot=False, field_transformer=money_converters)
class UserSnapshot:
    """``meta.user`` of a receipt.

    Attributes:
        name: the user's name.
        extra: wire keys this model does not declare, kept as decoded.
    """

    name: str | None = None
    extra: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    _absent: frozenset[str] = attrs.field(factory=frozenset, init=False, repr=False)


@attrs.frozen(kw_only=True, slots=True, weakref_slot=False, field_transformer=money_converters)
class CheckCloseEvent:
    """``meta.check_close_event`` of a receipt; ``fails`` items are kept as decoded.

    Attributes:
        checked: the ``checked`` flag, as sent.
        operated_at: the ``operated_at`` time, as sent.
        fails: the ``fails`` items, as decoded.
        extra: wire keys this model does not declare, kept as decoded.
    """

    checked: bool | int | None = None
    operated_at: str | int | float | None = None
    fails: tuple[Any, ...] | None = attrs.field(default=None, hash=False)
    extra: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    _absent: frozenset[str] = attrs.field(factory=frozenset, init=False, repr=False)


@attrs.frozen(kw_only=True, slots=True, weakref_slot=False, field_transformer=money_converters)
class ReceiptMeta:
    """``meta`` of a receipt (API §10.1). ``terminal_updated_at`` is epoch milliseconds.

    Attributes:
        preprint_count: the preprint count.
        sale_type: ``meta.sale_type``: the sale type's name.
        user: ``meta.user``: the user's name.
        terminal_updated_at: the terminal's update time, in Unix milliseconds.
        availiableDeposit: the available deposit (the wire name, sic).
        check_close_event: ``meta.check_close_event``.
        extra: wire keys this model does not declare, kept as decoded.
    """

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
    """``properties`` of a receipt: the venue's daily and monthly receipt numbers.

    Attributes:
        daily_id: the receipt's daily number.
        monthly_id: the receipt's monthly number.
        extra: wire keys this model does not declare, kept as decoded.
    """

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

    Attributes:
        id: the receipt's id.
        cid: the client-generated UUID.
        venue_id: the venue the receipt belongs to.
        customer_id: the attached customer, or None.
        user_id: the user who made the receipt.
        terminal_id: the terminal the receipt was made on.
        sale_type_id: the receipt's sale type.
        source: where the receipt came from, e.g. ``"web"``, ``"pos"``.
        guests: the number of guests.
        status: 1 open, 2 closed (``ReceiptStatus``); an unknown value stays an int.
        order_status: the order status (``ReceiptOrderStatus``); an unknown value stays a str.
        order_number: the order number, or None.
        lock: the ``lock`` flag, as sent.
        inventory_status: the inventory status, as sent.
        report_status: the report status, as sent.
        printed: whether the receipt was printed, as sent.
        total: the receipt's total.
        subtotal: the total before discounts, taxes and fees.
        original_subtotal: the original subtotal.
        gift_total: the total of gift lines.
        discount_type: the discount type (0 none, API §11).
        discount_value: the discount value.
        discount_rate: the discount rate.
        total_discount: the total discount.
        service_charge: the service charge, a percentage.
        service_charge_value: the computed service charge amount.
        delivery_fee: the delivery fee.
        remaining: what is left to pay (0 when fully paid).
        i_tax: the inclusive tax.
        e_tax: the exclusive tax.
        total_tax: the total tax.
        by_cash: the amount paid in cash.
        by_card: the amount paid by card.
        payment_methods: the payments (API §10.3).
        fiscal_id: the fiscal id, or None.
        loyalty_type: the loyalty type, as sent.
        loyalty_value: the loyalty value, or None.
        address: the address, or None.
        description: the description, or None.
        meta: ``meta`` (API §10.1).
        properties: ``properties``: the daily and monthly numbers.
        created_at: when the receipt was created (naive ``YYYY-MM-DD HH:mm:ss``).
        updated_at: when the receipt was last updated (naive ``YYYY-MM-DD HH:mm:ss``).
        closed_at: when the receipt was closed, or None.
        shift_date: the business day (``shift_date``).
        deleted_at: when it was deleted, or None.
        receipt_products: the line items (only with ``include="receipt_products"``).
        cash_shift_cid: the cash shift's cid (OpenAPI/v1 schema).
        open_by_user_id: the user who opened the receipt (OpenAPI/v1 schema).
        close_by_user_id: the user who closed the receipt (OpenAPI/v1 schema).
        courier_id: the courier (OpenAPI/v1 schema).
        seller_id: the seller (OpenAPI/v1 schema).
        closed_terminal_id: the terminal that closed the receipt (OpenAPI/v1 schema).
        service_notification_id: the service notification id (OpenAPI/v1 schema).
        table_id: the table (OpenAPI/v1 schema).
        hall_id: the hall (OpenAPI/v1 schema).
        is_returns: the ``is_returns`` flag (OpenAPI/v1 schema).
        suspicion: the ``suspicion`` number (OpenAPI/v1 schema).
        totalCost: the total cost (the wire name, camelCase).
        rps_discount: the ``rps_discount`` amount (OpenAPI/v1 schema).
        terminal_version: the terminal's version (OpenAPI/v1 schema).
        terminal_updated_at: the terminal's update time, as sent.
        gift_count: the gift count (OpenAPI/v1 schema).
        customer_discount_type: the customer discount type (OpenAPI/v1 schema).
        local_status: the local status (OpenAPI/v1 schema).
        extra: wire keys this model does not declare, kept as decoded.
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
    """The ``data`` of a successful close (API §9.12): not a full receipt.

    Attributes:
        id: the closed receipt's id.
        closed_at: when it was closed.
        payment_methods: the payments it was closed with.
        extra: wire keys this model does not declare, kept as decoded.
    """

    id: int = attrs.field(validator=check_id)
    closed_at: datetime
    payment_methods: tuple[PaymentMethod, ...] = ()
    extra: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    _absent: frozenset[str] = attrs.field(factory=frozenset, init=False, repr=False)
