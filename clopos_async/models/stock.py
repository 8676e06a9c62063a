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
    """The ``product`` of a stock operation: ``{id, name}``, present even if soft-deleted."""

    id: int
    name: str | None = None
    extra: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    _absent: frozenset[str] = attrs.field(factory=frozenset, init=False, repr=False)


@attrs.frozen(kw_only=True, slots=True, weakref_slot=False)
class Storage:
    """A storage (warehouse) a stock lives in: ``{id, name}``."""

    id: int
    name: str | None = None
    extra: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    _absent: frozenset[str] = attrs.field(factory=frozenset, init=False, repr=False)


@attrs.frozen(kw_only=True, slots=True, weakref_slot=False)
class Stock:
    """The ``stock`` of a stock operation: ``{id, storage{id, name}}``."""

    id: int
    storage: Storage | None = None
    extra: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    _absent: frozenset[str] = attrs.field(factory=frozenset, init=False, repr=False)


@attrs.frozen(kw_only=True, slots=True, weakref_slot=False, field_transformer=money_converters)
class StockOperation:
    """One stock write-off caused by a receipt line (API §10.16).

    ``receipt_product_id`` is the id of the line in ``receipt.receipt_products``;
    ``operation_id`` is null for these (API §9.12: only the receipt's own write-offs).
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
