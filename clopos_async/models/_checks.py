"""Argument checks for models users build themselves: money and ids (DESIGN §2 "Bad input").

Decoding never runs these: the converter builds instances from checked wire values
without calling ``__init__``. Models declare ``converter=money`` on money fields and
``field_transformer=money_converters`` on the class, so that an error names the class
and the field, e.g. ``Receipt.total='abc' is not allowed``.
"""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs

from clopos_async._errors import ClientValueError


def _reject(owner: str, name: str, value: object, allowed: str) -> Exception:
    # Imported late: _validation reads the wire's parsers, whose package reads these models.
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


def to_money(value: object, owner: str, name: str) -> Decimal:
    """Turn an int/str/Decimal/float into a finite Decimal (floats via ``repr``).

    Raises:
        ClientValueError: for a bool, another type, or a non-finite number.
    """
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


def payment_amount(value: int | str | Decimal | float) -> Decimal:
    """The converter of ``PaymentMethod.amount``."""
    return to_money(value, "PaymentMethod", "amount")


def money(value: Decimal | int | float | str | None) -> Decimal | None:
    """The converter declared on optional money fields: ``Receipt(id=1, total=8140)``.

    Declaring it tells type checkers what the field accepts; at class creation
    ``money_converters`` swaps in a version that names the class and field in errors.
    """
    return None if value is None else to_money(value, "money", "value")


def _optional_money(value: object, instance: object, field: attrs.Attribute[Any]) -> Any:
    if value is None:
        return None
    return to_money(value, type(instance).__name__, field.name)


_OPTIONAL_MONEY = attrs.Converter(_optional_money, takes_self=True, takes_field=True)


def money_converters(cls: type, fields: list[attrs.Attribute[Any]]) -> list[attrs.Attribute[Any]]:
    """Give fields declared with ``converter=money`` the error-naming money converter."""
    swapped = []
    for field in fields:
        declared: object = field.converter  # typed as a Converter; ours is a plain function
        swapped.append(field.evolve(converter=_OPTIONAL_MONEY) if declared is money else field)
    return swapped


def check_id(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """An attrs validator: an int id (not a bool)."""
    if isinstance(value, bool) or not isinstance(value, int) or abs(value) > _MAX_WIRE_INT:
        allowed = f"an int from -{_MAX_WIRE_INT} to {_MAX_WIRE_INT} is required"
        raise _reject(type(instance).__name__, attribute.name, value, allowed)


def check_name(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """An attrs validator: a str."""
    if not isinstance(value, str):
        raise _reject(type(instance).__name__, attribute.name, value, "a str is required")
