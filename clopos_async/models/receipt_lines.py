"""A receipt's line items (API §10.2, §10.3): the product sold, its modifiers and snapshot.

Split from ``receipts`` (the receipt and its payments), which imports them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

import attrs

from clopos_async.models._checks import (
    check_id,
    money,
    money_converters,
)


@attrs.frozen(kw_only=True, slots=True, weakref_slot=False, field_transformer=money_converters)
class ProductSnapshot:
    """``meta.product`` of a line item: the catalog product as it was at sale time.

    Attributes:
        name: the product's name at sale time.
        type: the product's type at sale time (``DISH``, ``GOODS``, ...).
        price: the catalogue price at sale time.
        barcode: the product's barcode, or None.
        extra: wire keys this model does not declare, kept as decoded.
    """

    name: str | None = None
    type: str | None = None
    price: Decimal | None = attrs.field(default=None, converter=money)
    barcode: str | None = None
    extra: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    _absent: frozenset[str] = attrs.field(factory=frozenset, init=False, repr=False)


@attrs.frozen(kw_only=True, slots=True, weakref_slot=False, field_transformer=money_converters)
class ReceiptProductMeta:
    """``meta`` of a line item (API §10.2).

    Attributes:
        product: the product as it was at sale time (``meta.product``).
        extra: wire keys this model does not declare, kept as decoded.
    """

    product: ProductSnapshot | None = None
    extra: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    _absent: frozenset[str] = attrs.field(factory=frozenset, init=False, repr=False)


@attrs.frozen(kw_only=True, slots=True, weakref_slot=False, field_transformer=money_converters)
class Modificator:
    """One modifier on a line item (``with[]=receipt_products.modificators``).

    The API does not document this shape; the common keys are modelled and any
    other key is kept in ``extra``.

    Attributes:
        id: the modifier's id.
        name: the modifier's name.
        price: the modifier's price.
        count: how many were added.
        total: the modifier's total.
        extra: wire keys this model does not declare, kept as decoded.
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
    """One line item of a receipt (API §10.2 plus the SDK-observed extra fields).

    Attributes:
        id: the line's id.
        cid: the client-generated UUID of the line.
        product_id: the product sold.
        count: how many were sold.
        portion_size: the portion size (usually 1).
        total: the line total, after adjustments.
        price: the unit price at sale time.
        subtotal: the line total before receipt-level discounts.
        is_gift: whether the line is a gift (a bool, or the 0/1 that was sent).
        discount_type: the line's discount type (0 none, API §11).
        discount_value: the line's discount value.
        discount_rate: the line's discount rate.
        total_discount: the line's total discount.
        receipt_discount: this line's share of the receipt-level discount.
        loyalty_type: the loyalty type, as sent.
        loyalty_value: the loyalty value.
        meta: ``meta``: the product snapshot at sale time.
        modificators: the line's modifiers (only with ``receipt_products.modificators``).
        created_at: when the line was created (naive ``YYYY-MM-DD HH:mm:ss``).
        updated_at: when the line was last updated (naive ``YYYY-MM-DD HH:mm:ss``).
        receipt_id: the receipt the line belongs to.
        product_hash: the product hash, as sent.
        preprint_count: the preprint count, as sent.
        station_printed_count: the station printed count, as sent.
        station_aborted_count: the station aborted count, as sent.
        seller_id: the seller's user id.
        cost: the line's cost.
        terminal_updated_at: the terminal's update time, as sent.
        deleted_at: when it was deleted, or None.
        receipt_product_modificators: the v1 ``receipt_product_modificators`` list, as decoded.
        taxes: the line's taxes, as decoded.
        extra: wire keys this model does not declare, kept as decoded.
    """

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
