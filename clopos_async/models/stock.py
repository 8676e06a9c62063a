"""Stock models: the write-offs a receipt caused (API §9.12, §10.16).

Quantities and costs are ``Decimal`` (kilograms and money both need exactness);
``operated_at`` is the naive venue-local ``YYYY-MM-DD HH:mm:ss`` of receipts.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

import attrs

from clopos_async.models._checks import money, money_converters


@attrs.frozen(kw_only=True, slots=True, weakref_slot=False)
class StockProductSnapshot:
    """The ``product`` of a stock operation: ``{id, name}``, present even if soft-deleted.

    Attributes:
        id: the product's id.
        name: the product's name.
        extra: wire keys this model does not declare, kept as decoded.
    """

    id: int
    name: str | None = None
    extra: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    _absent: frozenset[str] = attrs.field(factory=frozenset, init=False, repr=False)


@attrs.frozen(kw_only=True, slots=True, weakref_slot=False)
class Storage:
    """A storage (warehouse) a stock lives in: ``{id, name}``.

    Attributes:
        id: the storage's id.
        name: the storage's name.
        extra: wire keys this model does not declare, kept as decoded.
    """

    id: int
    name: str | None = None
    extra: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    _absent: frozenset[str] = attrs.field(factory=frozenset, init=False, repr=False)


@attrs.frozen(kw_only=True, slots=True, weakref_slot=False)
class Stock:
    """The ``stock`` of a stock operation: ``{id, storage{id, name}}``.

    Attributes:
        id: the stock's id.
        storage: the storage it lives in.
        extra: wire keys this model does not declare, kept as decoded.
    """

    id: int
    storage: Storage | None = None
    extra: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    _absent: frozenset[str] = attrs.field(factory=frozenset, init=False, repr=False)


@attrs.frozen(kw_only=True, slots=True, weakref_slot=False, field_transformer=money_converters)
class StockOperation:
    """One stock write-off caused by a receipt line (API §10.16).

    ``receipt_product_id`` is the id of the line in ``receipt.receipt_products``;
    ``operation_id`` is null for these (API §9.12: only the receipt's own write-offs).

    Attributes:
        id: the operation's id.
        receipt_id: the receipt that caused it.
        receipt_product_id: the receipt line that caused it.
        operation_id: null for a receipt's own write-offs.
        product_id: the product written off.
        stock_id: the stock written off from.
        storage_id: the storage written off from.
        quantity: the quantity written off.
        before_quantity: the quantity before.
        after_quantity: the quantity after.
        cost: the unit cost.
        before_cost: the cost before.
        total_cost: the total cost.
        operated_at: when it happened (naive ``YYYY-MM-DD HH:mm:ss``).
        product: ``{id, name}`` of the product (present even if it was deleted).
        stock: ``{id, storage{id, name}}``.
        extra: wire keys this model does not declare, kept as decoded.
    """

    id: int
    receipt_id: int | None = None
    receipt_product_id: int | None = None
    operation_id: int | None = None
    product_id: int | None = None
    stock_id: int | None = None
    storage_id: int | None = None
    quantity: Decimal | None = attrs.field(default=None, converter=money)
    before_quantity: Decimal | None = attrs.field(default=None, converter=money)
    after_quantity: Decimal | None = attrs.field(default=None, converter=money)
    cost: Decimal | None = attrs.field(default=None, converter=money)
    before_cost: Decimal | None = attrs.field(default=None, converter=money)
    total_cost: Decimal | None = attrs.field(default=None, converter=money)
    operated_at: datetime | None = None
    product: StockProductSnapshot | None = None
    stock: Stock | None = None
    extra: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    _absent: frozenset[str] = attrs.field(factory=frozenset, init=False, repr=False)
