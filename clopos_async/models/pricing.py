"""Price lists, prices and the stop list (API §10.15, §10.17, §10.18).

Split from ``catalog`` (products and categories), whose ``Product`` a ``Price`` includes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

import attrs

from clopos_async.models._checks import money, money_converters
from clopos_async.models._types import EpochMillis, IsoDatetime
from clopos_async.models.catalog import Product


@attrs.frozen(kw_only=True, slots=True, weakref_slot=False, field_transformer=money_converters)
class Price:
    """A product's price in one price list (API §10.17); ``product``/``list`` when included.

    Attributes:
        id: the price's id.
        list_id: the price list it belongs to.
        product_id: the product it prices.
        price: the price.
        product: the product (with ``include="product"``), or None.
        list: the price list (with ``include="list"``), or None.
        extra: wire keys this model does not declare, kept as decoded.
    """

    id: int
    list_id: int | None = None
    product_id: int | None = None
    price: Decimal | None = attrs.field(default=None, converter=money)
    product: Product | None = None
    list: PriceList | None = None
    extra: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    _absent: frozenset[str] = attrs.field(factory=frozenset, init=False, repr=False)


@attrs.frozen(kw_only=True, slots=True, weakref_slot=False)
class PriceList:
    """A price list (API §10.17); ``prices`` only with ``include="prices"``.

    The timestamp format is not documented for price lists; they are read as the
    ISO 8601 ``…Z`` of the other OpenAPI pages.

    Attributes:
        id: the price list's id.
        name: the price list's name.
        description: the description, or None.
        status: the ``status`` flag.
        prices: the prices (only with ``include="prices"``), or None.
        created_at: when it was created (aware UTC).
        updated_at: when it was last updated (aware UTC).
        extra: wire keys this model does not declare, kept as decoded.
    """

    id: int
    name: str | None = None
    description: str | None = None
    status: bool | int | None = None
    prices: tuple[Price, ...] | None = None
    created_at: IsoDatetime | None = None
    updated_at: IsoDatetime | None = None
    extra: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    _absent: frozenset[str] = attrs.field(factory=frozenset, init=False, repr=False)


@attrs.frozen(kw_only=True, slots=True, weakref_slot=False)
class StopListEntry:
    """A product's stock limit (API §9.8, §10.15): ``id`` is the product id.

    ``limit`` 0 means out of stock; ``timestamp`` is Unix milliseconds. A product
    absent from the stop list has no limitation (see ``is_available``).

    Attributes:
        id: the product's id.
        limit: the stock limit (0 = out of stock).
        timestamp: when the entry was set, in Unix milliseconds.
        extra: wire keys this model does not declare, kept as decoded.
    """

    id: int
    limit: int | None = None
    timestamp: EpochMillis | None = None
    extra: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    _absent: frozenset[str] = attrs.field(factory=frozenset, init=False, repr=False)

    @property
    def available(self) -> bool:
        """Whether the product can still be sold: its limit is not 0."""
        return self.limit != 0

    @staticmethod
    def is_available(entries: Iterable[StopListEntry], product_id: int) -> bool:
        """Whether ``product_id`` can be sold given a stop list (API §9.8).

        Args:
            entries: what ``products.stop_list()`` returned.
            product_id: the product to ask about.

        Returns:
            False when its entry has ``limit`` 0; True when it has a non-zero
            limit or no entry at all (absent means no limitation).
        """
        return all(entry.available for entry in entries if entry.id == product_id)
