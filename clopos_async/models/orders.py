"""Order models (API §10.4, §10.5, §11): the order as read, and the inputs of a create.

``Order`` and its parts are wire models (attribute names are the wire names; unknown
keys land in ``extra``; decode -> encode is lossless). ``OrderCustomer``,
``OrderProduct`` and ``OrderModifier`` are what callers build for ``orders.create``
(API §9.11): checked when made, so a bad line is a ``ClientValueError`` naming the
argument before anything is sent.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from enum import Enum
from typing import Any

import attrs

from clopos_async.models._checks import _reject, money, money_converters
from clopos_async.models._types import IsoDatetime


class OrderStatus(str, Enum):
    """An order's ``status`` (API §9.11, §11). Unknown values stay plain strings.

    Not a receipt's ``order_status``: that is ``ReceiptOrderStatus``.
    """

    PENDING = "PENDING"
    RECEIVED = "RECEIVED"
    IGNORE = "IGNORE"
    DELIVERED = "DELIVERED"


# --- read side (API §10.4, §10.5) --------------------------------------------------------------


@attrs.frozen(kw_only=True, slots=True, weakref_slot=False)
class OrderReceipt:
    """A receipt reference (``with[0]=receipt:id,service_notification_id,status``).

    Attributes:
        id: the receipt's id.
        service_notification_id: the receipt's service notification id.
        status: the receipt's status (1 open, 2 closed).
        extra: wire keys this model does not declare, kept as decoded.
    """

    id: int
    service_notification_id: int | str | None = None
    status: int | None = None
    extra: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    _absent: frozenset[str] = attrs.field(factory=frozenset, init=False, repr=False)


@attrs.frozen(kw_only=True, slots=True, weakref_slot=False)
class OrderCustomerSnapshot:
    """The customer of an order: ``payload.customer``, or the ``with[]=customer`` include.

    A full customer's other fields (API §10.6) stay in ``extra``.

    Attributes:
        id: the customer's id.
        name: the customer's name.
        phone: the customer's phone.
        address: the customer's address.
        customer_discount_type: the customer's discount type.
        extra: wire keys this model does not declare, kept as decoded.
    """

    id: int | str | None = None
    name: str | None = None
    phone: str | None = None
    address: str | None = None
    customer_discount_type: int | None = None
    extra: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    _absent: frozenset[str] = attrs.field(factory=frozenset, init=False, repr=False)


@attrs.frozen(kw_only=True, slots=True, weakref_slot=False)
class OrderService:
    """``payload.service``: where the order goes (API §10.5; v1 adds the names).

    Attributes:
        sale_type_id: the order's sale type.
        venue_id: the venue the order goes to.
        sale_type_name: the sale type's name (v1).
        venue_name: the venue's name (v1).
        extra: wire keys this model does not declare, kept as decoded.
    """

    sale_type_id: int | None = None
    venue_id: int | None = None
    sale_type_name: str | None = None
    venue_name: str | None = None
    extra: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    _absent: frozenset[str] = attrs.field(factory=frozenset, init=False, repr=False)


@attrs.frozen(kw_only=True, slots=True, weakref_slot=False)
class OrderLine:
    """One ``payload.products[]`` line (API §9.11 body, §10.5; v1 ``product_modificators``).

    Attributes:
        product_id: the product ordered.
        product_name: the product's name.
        count: how many were ordered.
        price: the unit price.
        status: the line's status, as sent.
        product_hash: the product hash, as sent.
        portion_size: the portion size.
        note: the line's note.
        modifiers: the line's modifiers, as decoded.
        product_modificators: the v1 ``product_modificators``, as decoded.
        meta: the line's pricing meta, as decoded.
        extra: wire keys this model does not declare, kept as decoded.
    """

    product_id: int | None = None
    product_name: str | None = None
    count: Decimal | None = None
    price: Decimal | None = None
    status: str | None = None
    product_hash: str | None = None
    portion_size: Decimal | None = None
    note: str | None = None
    modifiers: tuple[Any, ...] | None = attrs.field(default=None, hash=False)
    product_modificators: tuple[Any, ...] | None = attrs.field(default=None, hash=False)
    meta: Any = attrs.field(default=None, hash=False)
    extra: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    _absent: frozenset[str] = attrs.field(factory=frozenset, init=False, repr=False)


@attrs.frozen(kw_only=True, slots=True, weakref_slot=False)
class OrderPayload:
    """An order's ``payload`` (API §10.5): what was ordered, as the POS received it.

    Attributes:
        service: ``service``: the sale type and venue.
        customer: ``customer``: who ordered.
        products: ``products[]``: the order lines.
        meta: ``meta`` (comment, discount, service-charge settings), as decoded.
        auto_order_accept: the echoed ``auto_order_accept`` flag.
        auto_order_sent_to_station: the echoed ``auto_order_sent_to_station`` flag.
        delivery_fee: the echoed delivery fee.
        extra: wire keys this model does not declare, kept as decoded.
    """

    service: OrderService | None = None
    customer: OrderCustomerSnapshot | None = None
    products: tuple[OrderLine, ...] | None = None
    meta: Any = attrs.field(default=None, hash=False)  # comment, discount, service charge
    auto_order_accept: bool | None = None
    auto_order_sent_to_station: bool | None = None
    delivery_fee: Decimal | None = None
    extra: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    _absent: frozenset[str] = attrs.field(factory=frozenset, init=False, repr=False)


@attrs.frozen(kw_only=True, slots=True, weakref_slot=False)
class Order:
    """An order (API §9.11, §10.4). Timestamps are aware UTC datetimes (ISO ``…Z``).

    ``receipt`` is there only with ``orders.get(id, include_receipt=True)`` (``None``
    until the POS accepts the order); ``customer`` only with ``include="customer"``.
    ``number`` … ``receipt_id`` are the older snapshot's fields (API §10.4, §15 item 20).

    Attributes:
        id: the order's id.
        venue_id: the venue the order belongs to.
        type: the order type, e.g. ``CALL_CENTER_ORDER``.
        integration: the integration, e.g. ``call_center_new``.
        integration_uuid: the integration UUID, or None.
        integration_id: the integration id, or None.
        integration_status: the integration status, e.g. ``CREATED``.
        customer_ref_id: the customer reference id, or None.
        order_number: the order number sent by create, if echoed.
        status: ``OrderStatus`` (PENDING, RECEIVED, IGNORE, DELIVERED); unknown values stay str.
        receive_user_id: the user who received the order, or None.
        receive_terminal_id: the terminal that received the order, or None.
        payload: ``payload`` (API §10.5).
        integration_response: the integration response, as decoded.
        receipt: the linked receipt (only with ``include_receipt=True``), or None.
        customer: the customer (only with ``include="customer"``), or None.
        created_at: when the order was created (aware UTC).
        updated_at: when the order was last updated (aware UTC).
        number: the order number (older snapshot).
        total: the order total (older snapshot).
        customer_id: the customer's id (older snapshot).
        payment_status: ``pending`` or ``paid`` (older snapshot).
        delivery_type: the delivery type (older snapshot).
        receipt_id: the linked open receipt once the POS accepts (older snapshot).
        extra: wire keys this model does not declare, kept as decoded.
    """

    id: int
    venue_id: int | None = None
    type: str | None = None
    integration: str | None = None
    integration_uuid: str | None = None
    integration_id: str | None = None
    integration_status: str | None = None
    customer_ref_id: str | None = None
    order_number: str | None = None  # sent by create (API §9.11 prose); (inference) echoed here
    status: OrderStatus | str | None = None
    receive_user_id: int | None = None
    receive_terminal_id: int | None = None
    payload: OrderPayload | None = None
    integration_response: Any = attrs.field(default=None, hash=False)
    receipt: OrderReceipt | None = None
    customer: OrderCustomerSnapshot | None = None
    created_at: IsoDatetime | None = None
    updated_at: IsoDatetime | None = None
    number: int | str | None = None
    total: Decimal | None = None
    customer_id: int | None = None
    payment_status: str | None = None
    delivery_type: str | None = None
    receipt_id: int | None = None
    extra: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    _absent: frozenset[str] = attrs.field(factory=frozenset, init=False, repr=False)


# --- write side: the inputs of orders.create (API §9.11) ---------------------------------------


def _positive_id(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 2**63 - 1:
        owner = type(instance).__name__
        raise _reject(owner, attribute.name, value, "a positive int id is required")


def _optional_id(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        _positive_id(instance, attribute, value)


def _count(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    # API §15 item 19: count is an integer in the OpenAPI schema; send whole units only.
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 2**31 - 1:
        owner = type(instance).__name__
        raise _reject(owner, attribute.name, value, "an int >= 1 is required")


def _not_negative(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, Decimal) or value < 0:
        raise _reject(type(instance).__name__, attribute.name, value, "a number >= 0 is required")


def _positive(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, Decimal) or value <= 0:
        raise _reject(type(instance).__name__, attribute.name, value, "a number > 0 is required")


def _text(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        owner = type(instance).__name__
        raise _reject(owner, attribute.name, value, "a non-empty str is required")


def _optional_text(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and not isinstance(value, str):
        owner = type(instance).__name__
        raise _reject(owner, attribute.name, value, "a str or None is required")


def _discount_type(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
        owner = type(instance).__name__
        raise _reject(owner, attribute.name, value, "None or an int >= 0 is required (API §11)")


def _modifiers(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, tuple) or not all(isinstance(m, OrderModifier) for m in value):
        owner = type(instance).__name__
        raise _reject(owner, attribute.name, value, "a list or tuple of OrderModifier is required")


def _tuple_of(value: object) -> object:
    if isinstance(value, (list, tuple)):
        return tuple(value)
    return value


@attrs.frozen(kw_only=True, slots=True)
class OrderCustomer:
    """The ``customer`` of a create (API §9.11: id, name, phone and address are required).

    Attributes:
        id: the customer's id (required).
        name: the customer's name (required).
        phone: the customer's phone (required).
        address: the customer's address (required).
        customer_discount_type: the customer's discount type, or None.
    """

    id: int = attrs.field(validator=_positive_id)
    name: str = attrs.field(validator=_text)
    phone: str = attrs.field(validator=_text)
    address: str = attrs.field(validator=_text)
    customer_discount_type: int | None = attrs.field(default=None, validator=_discount_type)


@attrs.frozen(kw_only=True, slots=True, field_transformer=money_converters)
class OrderModifier:
    """One modifier of an order line: ``OrderModifier(modifier_id=7, count=1, price=0.5)``.

    Attributes:
        modifier_id: the modifier's id.
        count: how many, an int >= 1.
        price: the modifier's price, >= 0 (a Decimal).
        modifier_name: the modifier's name, or None.
        portion_size: the portion size, > 0 (default 1).
    """

    modifier_id: int = attrs.field(validator=_positive_id)
    count: int = attrs.field(validator=_count)
    price: Decimal = attrs.field(default=Decimal(0), converter=money, validator=_not_negative)
    modifier_name: str | None = attrs.field(default=None, validator=_optional_text)
    portion_size: Decimal = attrs.field(default=Decimal(1), converter=money, validator=_positive)


@attrs.frozen(kw_only=True, slots=True, field_transformer=money_converters)
class OrderProduct:
    """One line of a create: ``OrderProduct(product_id=3, count=2, price="8.50")``.

    ``price`` (per unit) takes int, str, Decimal or float and is kept as a Decimal.

    Attributes:
        product_id: the product's id.
        count: how many, an int >= 1.
        price: the unit price, >= 0 (a Decimal).
        product_name: the product's name, or None.
        portion_size: the portion size, > 0 (default 1).
        modifiers: the line's ``OrderModifier`` items.
        note: a note for the line, or None.
    """

    product_id: int = attrs.field(validator=_positive_id)
    count: int = attrs.field(validator=_count)
    price: Decimal = attrs.field(converter=money, validator=_not_negative)
    product_name: str | None = attrs.field(default=None, validator=_optional_text)
    portion_size: Decimal = attrs.field(default=Decimal(1), converter=money, validator=_positive)
    modifiers: tuple[OrderModifier, ...] = attrs.field(
        default=(), converter=_tuple_of, validator=_modifiers
    )
    note: str | None = attrs.field(default=None, validator=_optional_text)
