"""Menu catalogue models (API §10.9, §10.11, §10.15, §10.17, §10.18).

Products and categories, with the enums of API §11 (price lists, prices and the stop
list are in ``pricing``).

Attribute names are the wire field names (``_lft``/``_rgt`` sic). Products carry the
naive ``YYYY-MM-DD HH:mm:ss`` timestamps of API §11; categories ISO 8601 ``…Z``; the
stop-list ``timestamp`` is epoch milliseconds. Unknown keys are kept in ``extra``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from decimal import Decimal
from enum import Enum
from typing import Any

import attrs

from clopos_async.models._checks import money, money_converters
from clopos_async.models._types import IsoDatetime
from clopos_async.models.venues import Station


class ProductType(str, Enum):
    """A product's ``type`` (API §9.8, §11). Unknown values (``MODIFIER``) stay plain strings."""

    GOODS = "GOODS"
    DISH = "DISH"
    TIMER = "TIMER"
    PREPARATION = "PREPARATION"
    INGREDIENT = "INGREDIENT"
    MODIFICATION = "MODIFICATION"


class CategoryType(str, Enum):
    """A category's ``type`` (API §9.6, §11). Unknown values stay plain strings."""

    PRODUCT = "PRODUCT"
    INGREDIENT = "INGREDIENT"
    ACCOUNTING = "ACCOUNTING"


@attrs.frozen(kw_only=True, slots=True, weakref_slot=False, field_transformer=money_converters)
class Media:
    """An image attached to a product, category or sale type (API §10.18).

    Attributes:
        uuid: the media's UUID.
        mime_type: the MIME type.
        size: the size in bytes.
        urls: ``original`` and, when present, ``large``, ``extra_large``, ``thumb`` URLs.
        blur_hash: the blur hash.
        dimensions: ``width`` and ``height``.
        extra: wire keys this model does not declare, kept as decoded.
    """

    uuid: str | None = None
    mime_type: str | None = None
    size: int | None = None
    urls: Mapping[str, str] | None = None  # original, large?, extra_large?, thumb?
    blur_hash: str | None = None
    dimensions: Mapping[str, int] | None = None  # width, height
    extra: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    _absent: frozenset[str] = attrs.field(factory=frozenset, init=False, repr=False)


@attrs.frozen(kw_only=True, slots=True, weakref_slot=False)
class Category:
    """A menu category; ``children`` nests the subtree recursively (API §10.9).

    ``_lft``/``_rgt`` are the nested-set bounds, ``depth`` 0 is a root. ``slug`` and
    ``properties`` are older extras.

    Attributes:
        id: the category's id.
        name: the category's name.
        status: 1 active, 0 inactive.
        type: ``CategoryType`` (PRODUCT, INGREDIENT, ACCOUNTING); unknown values stay str.
        position: the position, or None.
        parent_id: the parent category, or None for a root.
        _lft: the nested-set left bound (the wire name).
        _rgt: the nested-set right bound (the wire name).
        depth: the depth in the tree (0 = root).
        color: the colour (hex), as sent.
        hidden: whether the category is hidden.
        children: the subcategories, recursively.
        media: the category's images (API §10.18).
        slug: the slug (older extra).
        properties: the properties (older extra), as decoded.
        created_at: when it was created (aware UTC).
        updated_at: when it was last updated (aware UTC).
        extra: wire keys this model does not declare, kept as decoded.
    """

    id: int
    name: str | None = None
    status: int | None = None
    type: CategoryType | str | None = None
    position: int | None = None
    parent_id: int | None = None
    _lft: int | None = None
    _rgt: int | None = None
    depth: int | None = None
    color: str | None = None
    hidden: bool | int | None = None
    children: tuple[Category, ...] | None = None
    media: tuple[Media, ...] | None = None
    slug: str | None = None
    properties: Any = None
    created_at: IsoDatetime | None = None
    updated_at: IsoDatetime | None = None
    extra: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    _absent: frozenset[str] = attrs.field(factory=frozenset, init=False, repr=False)

    def walk(self) -> Iterator[Category]:
        """This category, then its subtree, depth-first in ``children`` order.

        Iterative, so a deep tree never hits the recursion limit.

        Yields:
            This ``Category`` first, then each descendant (pre-order).
        """
        stack = [self]
        while stack:
            category = stack.pop()
            yield category
            stack.extend(reversed(category.children or ()))


@attrs.frozen(kw_only=True, slots=True, weakref_slot=False, field_transformer=money_converters)
class GroupModificator:
    """One choice in a product's modificator group (API §10.11 ``modificators[]``).

    Attributes:
        id: the modifier's id.
        name: the modifier's name.
        price: the modifier's price.
        cost_price: the modifier's cost price.
        max_count: the most that may be chosen.
        status: the modifier's status.
        ingredient: the ingredient, as decoded (shape undocumented).
        extra: wire keys this model does not declare, kept as decoded.
    """

    id: int | None = None
    name: str | None = None
    price: Decimal | None = attrs.field(default=None, converter=money)
    cost_price: Decimal | None = attrs.field(default=None, converter=money)
    max_count: int | None = None
    status: int | None = None
    ingredient: Any = None  # shape undocumented
    extra: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    _absent: frozenset[str] = attrs.field(factory=frozenset, init=False, repr=False)


@attrs.frozen(kw_only=True, slots=True, weakref_slot=False)
class ModificatorGroup:
    """A DISH's group of modifiers: ``type`` 1 single choice, 0 multiple (API §10.11).

    Attributes:
        id: the group's id.
        name: the group's name.
        type: 1 single choice, 0 multiple.
        min_select: the fewest modifiers to choose.
        max_select: the most modifiers to choose.
        modificators: the group's choices.
        extra: wire keys this model does not declare, kept as decoded.
    """

    id: int | None = None
    name: str | None = None
    type: int | None = None
    min_select: int | None = None
    max_select: int | None = None
    modificators: tuple[GroupModificator, ...] | None = None
    extra: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    _absent: frozenset[str] = attrs.field(factory=frozenset, init=False, repr=False)


@attrs.frozen(kw_only=True, slots=True, weakref_slot=False, field_transformer=money_converters)
class RecipeItem:
    """One line of a product's ``recipe[]``; ``pivot.gross`` is the quantity (API §10.11).

    Attributes:
        id: the ingredient's id.
        type: the ingredient's type.
        name: the ingredient's name.
        cost_price: the ingredient's cost price.
        pivot: ``pivot``; ``gross`` is the quantity.
        extra: wire keys this model does not declare, kept as decoded.
    """

    id: int | None = None
    type: ProductType | str | None = None
    name: str | None = None
    cost_price: Decimal | None = attrs.field(default=None, converter=money)
    pivot: Mapping[str, Any] | None = None
    extra: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    _absent: frozenset[str] = attrs.field(factory=frozenset, init=False, repr=False)


@attrs.frozen(kw_only=True, slots=True, weakref_slot=False)
class ProductPackage:
    """One of a product's ``packages[]``: ``equal`` units per package (API §10.11).

    Attributes:
        id: the package's id.
        name: the package's name.
        equal: how many units one package holds.
        extra: wire keys this model does not declare, kept as decoded.
    """

    id: int | None = None
    name: str | None = None
    equal: int | float | None = None
    extra: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    _absent: frozenset[str] = attrs.field(factory=frozenset, init=False, repr=False)


@attrs.frozen(kw_only=True, slots=True, weakref_slot=False, field_transformer=money_converters)
class ProductTax:
    """One of a product's ``taxes[]`` (API §10.11).

    Attributes:
        id: the tax's id.
        name: the tax's name.
        rate: the tax rate.
        extra: wire keys this model does not declare, kept as decoded.
    """

    id: int | None = None
    name: str | None = None
    rate: Decimal | None = attrs.field(default=None, converter=money)
    extra: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    _absent: frozenset[str] = attrs.field(factory=frozenset, init=False, repr=False)


@attrs.frozen(kw_only=True, slots=True, weakref_slot=False, field_transformer=money_converters)
class Product:
    """A catalogue product (API §10.11); ``id`` is an int or a UUID string (API §9.8).

    ``modifications`` are a GOODS product's variants (full products, ``type``
    MODIFICATION); ``modificator_groups`` a DISH's modifiers. Relations are ``None``
    unless included (``with[]``): ``category`` decodes to ``Category``, ``station`` to
    ``Station``. ``setting`` is the TIMER pricing ``{interval, prices[{price, from}]}``,
    kept as sent (``from`` cannot be an attribute name). ``inventory_behavior``: 0
    MINUS_INGREDIENTS, 1 MINUS_SELF, 3 PASSIVE.

    Attributes:
        id: the product's id (an int or a UUID string).
        cid: the product's cid.
        parent_id: the parent product, or None.
        station_id: the station that prepares it.
        category_id: the product's category.
        unit_id: the product's unit.
        net_output: the net output, as sent.
        type: ``ProductType``; unknown values (``MODIFIER``) stay str.
        name: the product's name.
        parent_name: the parent's name (empty string if none).
        full_name: the full name.
        position: the position.
        barcode: the barcode (deprecated; ``codes`` holds the codes).
        gov_code: the government code.
        status: 1 active, 0 inactive.
        hidden: 0 shown, 1 hidden.
        sold_by_weight: whether it is sold by weight.
        max_age: the ``max_age`` value, as sent.
        discountable: whether discounts apply.
        giftable: whether it can be a gift.
        has_modifications: whether it has variants.
        meta: ``meta``, as decoded.
        setting: the TIMER pricing ``{interval, prices[{price, from}]}``, as sent.
        description: the description.
        price: the price.
        cost_price: the cost price.
        markup_rate: the markup rate.
        cooking_time: the cooking time, as sent.
        ignore_service_charge: whether the service charge is not applied.
        inventory_behavior: 0 MINUS_INGREDIENTS, 1 MINUS_SELF, 3 PASSIVE.
        low_stock: the low-stock level, as sent.
        unit_weight: the unit weight, as sent.
        venues: the venues, as decoded (element shape undocumented).
        media: the product's images (API §10.18).
        modifications: a GOODS product's variants (full products, ``type`` MODIFICATION).
        modificator_groups: a DISH's modifier groups.
        recipe: the recipe lines.
        packages: the packages.
        taxes: the taxes.
        tags: the tags, as decoded.
        codes: the codes (``with[]=codes``), as decoded.
        unit: the unit (when included), as decoded.
        category: the category (when included).
        station: the station (when included).
        created_at: when it was created (naive ``YYYY-MM-DD HH:mm:ss``).
        updated_at: when it was last updated (naive ``YYYY-MM-DD HH:mm:ss``).
        extra: wire keys this model does not declare, kept as decoded.
    """

    id: int | str
    cid: str | None = None
    parent_id: int | None = None
    station_id: int | None = None
    category_id: int | None = None
    unit_id: int | None = None
    net_output: int | float | None = None
    type: ProductType | str | None = None
    name: str | None = None
    parent_name: str | None = None
    full_name: str | None = None
    position: int | None = None
    barcode: str | None = None
    gov_code: str | None = None
    status: int | None = None
    hidden: bool | int | None = None
    sold_by_weight: bool | int | None = None
    max_age: int | None = None
    discountable: bool | int | None = None
    giftable: bool | int | None = None
    has_modifications: bool | int | None = None
    meta: Any = None
    setting: Any = None
    description: str | None = None
    price: Decimal | None = attrs.field(default=None, converter=money)
    cost_price: Decimal | None = attrs.field(default=None, converter=money)
    markup_rate: Decimal | None = attrs.field(default=None, converter=money)
    cooking_time: int | None = None
    ignore_service_charge: bool | int | None = None
    inventory_behavior: int | None = None
    low_stock: int | float | None = None
    unit_weight: int | float | None = None
    venues: tuple[Any, ...] | None = attrs.field(default=None, hash=False)
    media: tuple[Media, ...] | None = None
    modifications: tuple[Product, ...] | None = None
    modificator_groups: tuple[ModificatorGroup, ...] | None = None
    recipe: tuple[RecipeItem, ...] | None = None
    packages: tuple[ProductPackage, ...] | None = None
    taxes: tuple[ProductTax, ...] | None = None
    tags: tuple[Any, ...] | None = attrs.field(default=None, hash=False)
    codes: tuple[Any, ...] | None = attrs.field(default=None, hash=False)
    unit: Any = None
    category: Category | None = None
    station: Station | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    extra: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    _absent: frozenset[str] = attrs.field(factory=frozenset, init=False, repr=False)
