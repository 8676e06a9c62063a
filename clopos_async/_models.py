"""Attrs models: the typed shapes users read. Stdlib and attrs imports only.

Wire knowledge (names, formats, Decimal, unknown fields) lives in _converters.py.
Attribute names are the wire field names (API §10), sic (``totalCost``,
``availiableDeposit``). Every wire model keeps the keys it does not know in
``extra`` and remembers, privately, which known keys were absent on the wire, so
that the converter writes back exactly the keys that came in.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import Enum, IntEnum
from typing import Any, Generic, TypeVar

import attrs

T = TypeVar("T")


@attrs.frozen(kw_only=True, slots=True)
class RateLimitInfo:
    """The ``RateLimit-*`` headers of one response (API §4, §7).

    ``reset`` is in seconds from when the response was received, not an epoch.
    """

    limit: int
    remaining: int
    reset: float


class ReceiptStatus(IntEnum):
    """Receipt ``status`` (API §11). Unknown values stay plain ints on decoded receipts."""

    OPEN = 1
    CLOSED = 2


class OrderStatus(str, Enum):
    """Receipt ``order_status`` (API §11). Unknown values stay plain strings."""

    NEW = "NEW"
    SCHEDULED = "SCHEDULED"
    IN_PROGRESS = "IN_PROGRESS"
    READY = "READY"
    PICKED_UP = "PICKED_UP"
    COMPLETED = "COMPLETED"
    CANCELLED = "CANCELLED"


# --- argument checks for models users build themselves ----------------------------------------
# Decoding never runs these: the converter builds instances from checked wire values.


def _reject(owner: str, name: str, value: object, allowed: str) -> Exception:
    # Imported late: _errors imports this module (RateLimitInfo).
    from clopos_async._errors import ClientValueError
    from clopos_async._validation import shown  # never the value's own, maybe raising, repr

    return ClientValueError(f"{owner}.{name}={shown(value)} is not allowed: {allowed}")


#: The API is PHP: a JSON integer beyond a signed 64-bit one cannot be sent (orjson raises
#: TypeError at send time) nor stored. Same bound as _validation.MAX_WIRE_INT.
_MAX_WIRE_INT = 2**63 - 1
_MONEY_ALLOWED = (
    "a finite number (int, Decimal, numeric str or float) that a JSON number carries exactly"
    f" (integers up to {_MAX_WIRE_INT}, others a float's precision) is required"
)
_FLOAT_WITHOUT_EXPONENT = 1e16  # below this, repr(float) always has a "." (exponent < 0)


def decimal_from_float(value: float) -> Decimal:
    """The Decimal of a finite float's shortest repr: 8.14 -> Decimal("8.14").

    Never exponent 0, which marks a Decimal that came from an int, so that the
    converter can send a float back as a float: 2.0872664574337988e16 becomes
    Decimal("20872664574337988.0"), not Decimal("20872664574337988").
    """
    money = Decimal(repr(value))
    if -_FLOAT_WITHOUT_EXPONENT < value < _FLOAT_WITHOUT_EXPONENT:
        return money
    sign, digits, exponent = money.as_tuple()
    if exponent != 0:
        return money
    return Decimal((sign, (*digits, 0), -1))


def _to_money(value: object, owner: str, name: str) -> Decimal:
    """Turn an int/str/Decimal/float into a finite Decimal (floats via ``repr``)."""
    if isinstance(value, bool) or not isinstance(value, (int, str, Decimal, float)):
        raise _reject(owner, name, value, _MONEY_ALLOWED)
    try:
        # Floats via their repr: 8.14 -> Decimal("8.14"), not 8.1399999...
        money = decimal_from_float(value) if isinstance(value, float) else Decimal(value)
    except InvalidOperation:
        raise _reject(owner, name, value, _MONEY_ALLOWED) from None
    if not money.is_finite() or not _sendable(money):
        raise _reject(owner, name, value, _MONEY_ALLOWED)
    return money


def _sendable(money: Decimal) -> bool:
    """Whether the converter's JSON number for ``money`` is exactly ``money``.

    Exponent 0 travels as an int (bounded by the API's 64-bit integers), anything else
    as a float: Decimal("1e400") would become inf, which orjson writes as ``null``.
    """
    if money.as_tuple().exponent == 0:
        return abs(money) <= _MAX_WIRE_INT
    try:
        as_float = float(money)
    except OverflowError:  # pragma: no cover - Decimal -> float gives inf, not an error
        return False
    return math.isfinite(as_float) and decimal_from_float(as_float) == money


def _payment_amount(value: int | str | Decimal | float) -> Decimal:
    return _to_money(value, "PaymentMethod", "amount")


def money(value: Decimal | int | float | str | None) -> Decimal | None:
    """The converter declared on optional money fields: ``Receipt(id=1, total=8140)``.

    Declaring it tells type checkers what the field accepts; at class creation
    ``_money_converters`` swaps in a version that names the class and field in errors.
    """
    return None if value is None else _to_money(value, "money", "value")


def _optional_money(value: object, instance: object, field: attrs.Attribute[Any]) -> Any:
    if value is None:
        return None
    return _to_money(value, type(instance).__name__, field.name)


_OPTIONAL_MONEY = attrs.Converter(_optional_money, takes_self=True, takes_field=True)


def _money_converters(cls: type, fields: list[attrs.Attribute[Any]]) -> list[attrs.Attribute[Any]]:
    """Give fields declared with ``converter=money`` the error-naming money converter."""
    return [
        field.evolve(converter=_OPTIONAL_MONEY) if _declared(field) is money else field
        for field in fields
    ]


def _declared(field: attrs.Attribute[Any]) -> object:
    return field.converter


def _check_id(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or abs(value) > _MAX_WIRE_INT:
        allowed = f"an int from -{_MAX_WIRE_INT} to {_MAX_WIRE_INT} is required"
        raise _reject(type(instance).__name__, attribute.name, value, allowed)


def _check_name(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str):
        raise _reject(type(instance).__name__, attribute.name, value, "a str is required")


# --- receipts (API §10.1-10.3) ----------------------------------------------------------------
# weakref_slot=False keeps each model's slot layout plain, which lets the converter fill a
# layout twin and then hand the instance its frozen class (see _converters.py): decoding
# is on the hot path of every list call.


@attrs.frozen(kw_only=True, slots=True, weakref_slot=False, field_transformer=_money_converters)
class PaymentMethod:
    """One payment on a receipt, and one item of a close body (API §10.3, §9.12).

    ``PaymentMethod(id=2, name="Cash", amount=8140)``: ``amount`` accepts int, str,
    Decimal or float and is stored as a Decimal.
    """

    id: int = attrs.field(validator=_check_id)
    name: str = attrs.field(validator=_check_name)
    amount: Decimal = attrs.field(converter=_payment_amount)
    extra: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    _absent: frozenset[str] = attrs.field(factory=frozenset, init=False, repr=False)


@attrs.frozen(kw_only=True, slots=True, weakref_slot=False, field_transformer=_money_converters)
class ProductInfo:
    """``meta.product`` of a line item: the catalog product as it was at sale time."""

    name: str | None = None
    type: str | None = None
    price: Decimal | None = attrs.field(default=None, converter=money)
    barcode: str | None = None
    extra: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    _absent: frozenset[str] = attrs.field(factory=frozenset, init=False, repr=False)


@attrs.frozen(kw_only=True, slots=True, weakref_slot=False, field_transformer=_money_converters)
class ReceiptProductMeta:
    """``meta`` of a line item (API §10.2)."""

    product: ProductInfo | None = None
    extra: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    _absent: frozenset[str] = attrs.field(factory=frozenset, init=False, repr=False)


@attrs.frozen(kw_only=True, slots=True, weakref_slot=False, field_transformer=_money_converters)
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


@attrs.frozen(kw_only=True, slots=True, weakref_slot=False, field_transformer=_money_converters)
class ReceiptProduct:
    """One line item of a receipt (API §10.2 plus the SDK-observed extra fields)."""

    id: int = attrs.field(validator=_check_id)
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


@attrs.frozen(kw_only=True, slots=True, weakref_slot=False, field_transformer=_money_converters)
class SaleTypeInfo:
    """``meta.sale_type`` of a receipt."""

    name: str | None = None
    extra: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    _absent: frozenset[str] = attrs.field(factory=frozenset, init=False, repr=False)


@attrs.frozen(kw_only=True, slots=True, weakref_slot=False, field_transformer=_money_converters)
class UserInfo:
    """``meta.user`` of a receipt."""

    name: str | None = None
    extra: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    _absent: frozenset[str] = attrs.field(factory=frozenset, init=False, repr=False)


@attrs.frozen(kw_only=True, slots=True, weakref_slot=False, field_transformer=_money_converters)
class CheckCloseEvent:
    """``meta.check_close_event`` of a receipt; ``fails`` items are kept as decoded."""

    checked: bool | int | None = None
    operated_at: str | int | float | None = None
    fails: tuple[Any, ...] | None = attrs.field(default=None, hash=False)
    extra: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    _absent: frozenset[str] = attrs.field(factory=frozenset, init=False, repr=False)


@attrs.frozen(kw_only=True, slots=True, weakref_slot=False, field_transformer=_money_converters)
class ReceiptMeta:
    """``meta`` of a receipt (API §10.1). ``terminal_updated_at`` is epoch milliseconds."""

    preprint_count: int | None = None
    sale_type: SaleTypeInfo | None = None
    user: UserInfo | None = None
    terminal_updated_at: int | None = None
    availiableDeposit: Decimal | None = attrs.field(default=None, converter=money)
    check_close_event: CheckCloseEvent | None = None
    extra: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    _absent: frozenset[str] = attrs.field(factory=frozenset, init=False, repr=False)


@attrs.frozen(kw_only=True, slots=True, weakref_slot=False, field_transformer=_money_converters)
class ReceiptProperties:
    """``properties`` of a receipt: the venue's daily and monthly receipt numbers."""

    daily_id: int | None = None
    monthly_id: int | None = None
    extra: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    _absent: frozenset[str] = attrs.field(factory=frozenset, init=False, repr=False)


@attrs.frozen(kw_only=True, slots=True, weakref_slot=False, field_transformer=_money_converters)
class Receipt:
    """A receipt (API §10.1 plus the "Additional fields" of the OpenAPI/v1 schema).

    Only ``id`` is required. ``receipt_products`` is ``None`` unless the receipt was
    fetched with ``include=["receipt_products"]``. ``status`` and ``order_status``
    keep unknown values as the raw int / str.
    """

    id: int = attrs.field(validator=_check_id)
    cid: str | None = None
    venue_id: int | None = None
    customer_id: int | None = None
    user_id: int | None = None
    terminal_id: int | None = None
    sale_type_id: int | None = None
    source: str | None = None
    guests: int | None = None
    status: ReceiptStatus | int | None = None
    order_status: OrderStatus | str | None = None
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


@attrs.frozen(kw_only=True, slots=True, weakref_slot=False, field_transformer=_money_converters)
class ClosedReceipt:
    """The ``data`` of a successful close (API §9.12): not a full receipt."""

    id: int = attrs.field(validator=_check_id)
    closed_at: datetime
    payment_methods: tuple[PaymentMethod, ...] = ()
    extra: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    _absent: frozenset[str] = attrs.field(factory=frozenset, init=False, repr=False)


@attrs.frozen(kw_only=True, slots=True)
class Page(Generic[T]):
    """One page of a list endpoint (API §5): its items plus the envelope's counts."""

    items: tuple[T, ...]
    total: int
    page: int
    limit: int
    sorts: tuple[str, ...] = ()

    @property
    def page_count(self) -> int:
        """How many pages of ``limit`` items hold ``total`` items (ceil division)."""
        if self.limit <= 0:
            return 0
        return -(-self.total // self.limit)

    @property
    def has_next(self) -> bool:
        """Whether a page after this one exists."""
        return self.page < self.page_count
