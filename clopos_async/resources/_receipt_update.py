"""The body of ``PATCH /receipts/{id}`` (API §9.12): the four writable fields, checked.

PATCH sets state, so sending it twice changes nothing more: the pipeline retries it
like a GET (DESIGN §2). Everything is checked here, before anything is sent.
"""

from __future__ import annotations

from typing import Any

from clopos_async._api._endpoints import RECEIPT_UPDATE
from clopos_async._errors import ClientValueError
from clopos_async._validation import shown

#: API §9.12, §11: the receipt ``order_status`` values PATCH accepts.
ORDER_STATUSES: tuple[str, ...] = tuple(str(s) for s in RECEIPT_UPDATE.enums["order_status"])
WRITABLE = ("order_status", "order_number", "fiscal_id", "lock")


def update_body(
    *, order_status: object, order_number: object, fiscal_id: object, lock: object
) -> dict[str, Any]:
    """The JSON body: only the fields given (None means "leave it").

    Raises:
        ClientValueError: a bad value, or no field at all (an empty PATCH).
    """
    body: dict[str, Any] = {}
    if order_status is not None:
        body["order_status"] = _status(order_status)
    for name, value in (("order_number", order_number), ("fiscal_id", fiscal_id)):
        if value is not None:
            if not isinstance(value, str) or not value.strip():
                raise ClientValueError(
                    f"{name}={shown(value)} is not allowed: None or a non-empty string"
                )
            body[name] = value
    if lock is not None:
        if not isinstance(lock, bool):
            raise ClientValueError(f"lock={shown(lock)} is not allowed: True, False or None")
        body["lock"] = lock
    if not body:
        raise ClientValueError(
            "update() with no field is not allowed: give at least one of " + ", ".join(WRITABLE)
        )
    return body


def _status(value: object) -> str:
    # ReceiptOrderStatus is a str enum: its .value is the wire text.
    text = getattr(value, "value", value)
    if isinstance(text, str) and text in ORDER_STATUSES:
        return text
    raise ClientValueError(
        f"order_status={shown(value)} is not allowed: one of {', '.join(ORDER_STATUSES)}"
    )
