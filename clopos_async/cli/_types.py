"""The value types of the ``clopos-async`` arguments: text in, a checked value out.

Each is an argparse ``type=``: a bad value raises ``argparse.ArgumentTypeError``
naming the value and what is allowed, which the parser turns into a ``UsageError``.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from clopos_async import ClientValueError, PaymentMethod
from clopos_async._validation import check_closed_at
from clopos_async.resources.receipts import MAX_LIMIT

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

_WIRE_DATETIME = "'YYYY-MM-DD HH:mm:ss'"


def wire_date(text: str) -> date:
    """A real day written ``YYYY-MM-DD`` (API §8 ``date[0]``/``date[1]``)."""
    if _DATE.fullmatch(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass  # well-formed but not a real day, e.g. 2025-02-30
    raise argparse.ArgumentTypeError(
        f"{text!r} is not a date: a real day as YYYY-MM-DD is required"
    )


def _at_least(text: str, parse: Callable[[str], float], lowest: float, wanted: str) -> float:
    """``parse(text)`` if it is a finite number >= ``lowest``, else an argparse error."""
    try:
        value = parse(text)
    except ValueError:
        value = float("nan")  # fails the check below
    if not lowest <= value < float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r} is not allowed: {wanted} is required")
    return value


def positive_int(text: str) -> int:
    """An integer >= 1."""
    return int(_at_least(text, int, 1, "an integer >= 1"))


def receipt_id(text: str) -> int:
    """A receipt id: an integer >= 1."""
    return int(_at_least(text, int, 1, "a receipt id (an integer >= 1)"))


def page_size(text: str) -> int:
    """A page size the API accepts: an integer from 1 to ``MAX_LIMIT`` (API §8)."""
    wanted = f"an integer from 1 to {MAX_LIMIT}"
    size = int(_at_least(text, int, 1, wanted))
    if size > MAX_LIMIT:
        raise argparse.ArgumentTypeError(f"{text!r} is not allowed: {wanted} is required")
    return size


def closed_at(text: str) -> datetime:
    """A moment in venue local time written ``YYYY-MM-DD HH:mm:ss`` (API §9.12)."""
    try:
        moment = check_closed_at(text)
    except ClientValueError:
        moment = None
    if moment is None:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a time: {_WIRE_DATETIME} in venue local time is required, "
            "e.g. '2025-08-31 21:00:00'"
        )
    return moment


def include(text: str) -> list[str]:
    """One relation or several, comma-separated: ``receipt_products``, ``a,b``."""
    names = [name.strip() for name in text.split(",")]
    if not all(names):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not allowed: relation names, comma-separated, are required, "
            "e.g. receipt_products"
        )
    return names


def non_negative_int(text: str) -> int:
    """An integer >= 0 (a port, a seed)."""
    return int(_at_least(text, int, 0, "an integer >= 0"))


def seconds(text: str) -> float:
    """A finite number of seconds >= 0."""
    return _at_least(text, float, 0.0, "a number of seconds >= 0")


def positive_seconds(text: str) -> float:
    """A finite number of seconds > 0 (a polling interval)."""
    value = _at_least(text, float, 0.0, "a number of seconds > 0")
    if value == 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not allowed: a number of seconds > 0")
    return value


def payment(text: str) -> PaymentMethod:
    """``ID:NAME:AMOUNT``, e.g. ``2:Card:8.14``; NAME may itself contain colons."""
    head, _, rest = text.partition(":")
    name, _, amount = rest.rpartition(":")
    try:
        method_id = int(head)
        if method_id < 1 or not name.strip():
            raise ValueError(text)
        # Decimal keeps what the user typed: "8140" stays an integer on the wire (API §11).
        return PaymentMethod(id=method_id, name=name, amount=Decimal(amount))
    except (ValueError, InvalidOperation):  # ClientValueError (a non-finite amount) too
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a payment: ID:NAME:AMOUNT is required, e.g. 2:Card:8.14"
        ) from None
