"""The exactly-once close of a receipt (DESIGN §2 "Close is exactly-once", API §9.12).

``POST /receipts/{id}/close`` is not idempotent and the v2 API has no
idempotency key (API §12), so the client itself makes sure a receipt is never
closed twice and a close is never lost:

* the pipeline retries the POST only when it surely never reached the server
  (connection refused, 429);
* after an ambiguous failure (timeout, reset, 5xx, 504, an unreadable 200) it
  reconciles with a GET: closed with our payments -> success; still open ->
  close again; closed some other way -> ``CloseConflictError``;
* after a 400 it reconciles too, so a worker that replays a close it already
  made gets the same success instead of "not open"; a receipt still open
  means the 400 was a real rejection, and it is raised as is.

Guards run before anything is sent and raise ``CloseRejectedError`` subclasses.
"""

from __future__ import annotations

import collections
from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

import attrs

from clopos_async._errors import (
    APITimeoutError,
    BadRequestError,
    ClientValueError,
    CloseConflictError,
    ClosedAtNotAfterCreatedError,
    DecodeError,
    EmptyPaymentsError,
    NegativeAmountError,
    OverpaymentError,
    ReceiptNotOpenError,
    ServerError,
    TransportError,
    UnderpaymentError,
)
from clopos_async._retry import Deadline
from clopos_async._validation import check_closed_at, check_id, shown
from clopos_async._wire import (
    decode_closed_receipt,
    decode_receipt,
    encode_payment_methods,
    format_timestamp,
)
from clopos_async.models import ClosedReceipt, PaymentMethod, Receipt, ReceiptStatus
from clopos_async.models._checks import money
from clopos_async.resources._base import data_of
from clopos_async.resources._seam import Seam

#: Failures after which the close may or may not have been applied.
AMBIGUOUS = (APITimeoutError, TransportError, ServerError, DecodeError)


@attrs.frozen(kw_only=True, slots=True)
class CloseRequest:
    """A checked close: what to send, and what the receipt must look like after."""

    receipt_id: int
    payments: tuple[PaymentMethod, ...]
    closed_at: datetime | None

    @classmethod
    def build(
        cls,
        receipt: object,
        payment_methods: object,
        closed_at: object,
        expected_total: object,
    ) -> CloseRequest:
        """Check every argument and run the guards; nothing is sent on failure."""
        known = receipt if isinstance(receipt, Receipt) else None
        receipt_id = known.id if known is not None else check_id("receipt", receipt)
        payments = _check_payments(payment_methods)
        when = check_closed_at(closed_at)
        total = _check_total(expected_total)
        if total is None and known is not None:
            total = known.total
        _guard_sum(payments, total)
        if known is not None:
            _guard_receipt(known, when)
        return cls(receipt_id=receipt_id, payments=payments, closed_at=when)

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"payment_methods": encode_payment_methods(self.payments)}
        if self.closed_at is not None:
            body["closed_at"] = format_timestamp(self.closed_at)
        return body

    def matches(self, receipt: Receipt) -> bool:
        """True when ``receipt`` is closed with exactly our payments (and time, if we set it)."""
        if receipt.status != ReceiptStatus.CLOSED:
            return False
        if self.closed_at is not None and receipt.closed_at != self.closed_at:
            return False
        return _payment_key(self.payments) == _payment_key(receipt.payment_methods or ())


class Closer:
    """Runs a CloseRequest to exactly one state change, reconciling when unsure.

    The whole close, its POSTs and reconciling GETs together, runs under one deadline.
    """

    def __init__(self, seam: Seam) -> None:
        self._seam = seam

    async def close(self, request: CloseRequest) -> ClosedReceipt:
        limit = await self._seam.begin_operation()
        attempts = self._seam.max_attempts
        for attempt in range(1, attempts + 1):
            try:
                return await self._post(request, limit)
            except AMBIGUOUS:
                outcome = await self._reconcile(request, limit)
                if outcome is not None:
                    return outcome
                if attempt == attempts or limit.left() <= 0:
                    raise
            except BadRequestError:
                outcome = await self._reconcile(request, limit)
                if outcome is None:
                    raise
                return outcome
        raise AssertionError("unreachable: the loop returns or raises")  # pragma: no cover

    async def _post(self, request: CloseRequest, limit: Deadline) -> ClosedReceipt:
        envelope = await self._seam.send(
            "POST",
            f"/receipts/{request.receipt_id}/close",
            json=request.body(),
            safe=False,
            shared_deadline=limit,
        )
        return decode_closed_receipt(data_of(envelope))

    async def _reconcile(self, request: CloseRequest, limit: Deadline) -> ClosedReceipt | None:
        """Read the receipt: our close -> its result; open -> None; else a conflict."""
        envelope = await self._seam.send(
            "GET", f"/receipts/{request.receipt_id}", shared_deadline=limit
        )
        receipt = decode_receipt(data_of(envelope))
        if request.matches(receipt):
            if receipt.closed_at is None:
                raise DecodeError("a closed receipt has no closed_at", path="data.closed_at")
            return ClosedReceipt(
                id=receipt.id,
                closed_at=receipt.closed_at,
                payment_methods=tuple(receipt.payment_methods or ()),
            )
        if receipt.status == ReceiptStatus.OPEN:
            return None
        raise CloseConflictError(
            request.receipt_id,
            expected=list(request.payments),
            actual=list(receipt.payment_methods or ()),
        )


def _payment_key(payments: Sequence[PaymentMethod]) -> collections.Counter[tuple[int, Decimal]]:
    # Names are labels the server may normalise; id and amount are what was paid.
    return collections.Counter((p.id, p.amount) for p in payments)


def _check_payments(value: object) -> tuple[PaymentMethod, ...]:
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Sequence):
        raise ClientValueError(
            f"payment_methods={shown(value)} is not allowed: a list of PaymentMethod is required"
        )
    if not value:
        raise EmptyPaymentsError(
            "payment_methods=[] is not allowed: at least one payment method is required"
        )
    payments = tuple(_payment(i, item) for i, item in enumerate(value))
    for i, payment in enumerate(payments):
        if payment.amount < 0:
            raise NegativeAmountError(
                f"payment_methods[{i}].amount={payment.amount} is not allowed: amounts must be >= 0"
            )
    return payments


def _payment(index: int, item: object) -> PaymentMethod:
    if isinstance(item, PaymentMethod):
        payment = item
    elif isinstance(item, Mapping) and {"id", "name", "amount"} <= item.keys():
        payment = PaymentMethod(id=item["id"], name=item["name"], amount=item["amount"])
    else:
        raise ClientValueError(
            f"payment_methods[{index}]={shown(item)} is not allowed: "
            "a PaymentMethod or a mapping with id, name and amount is required"
        )
    check_id(f"payment_methods[{index}].id", payment.id)
    if not isinstance(payment.name, str) or not payment.name:
        raise ClientValueError(
            f"payment_methods[{index}].name={shown(payment.name)} is not allowed: "
            "a non-empty string is required"
        )
    return payment


def _check_total(value: object) -> Decimal | None:
    if value is None:
        return None
    try:
        return money(value)  # type: ignore[arg-type]
    except ClientValueError:
        raise ClientValueError(
            f"expected_total={shown(value)} is not allowed: a finite number is required"
        ) from None


def _guard_sum(payments: Sequence[PaymentMethod], total: Decimal | None) -> None:
    """Close guards compare the payments' sum with the receipt's total (DESIGN §2)."""
    if total is None:
        return
    paid = sum((p.amount for p in payments), Decimal(0))
    if paid < total:
        raise UnderpaymentError(
            f"payment_methods sum to {paid}, less than the receipt total {total}"
        )
    if paid > total:
        raise OverpaymentError(
            f"payment_methods sum to {paid}, more than the receipt total {total}"
        )


def _guard_receipt(receipt: Receipt, closed_at: datetime | None) -> None:
    if receipt.status != ReceiptStatus.OPEN:
        raise ReceiptNotOpenError(
            f"receipt={receipt.id} is not allowed: its status is {receipt.status!r}, "
            "only open receipts (status 1) can be closed"
        )
    created = receipt.created_at
    if closed_at is not None and created is not None and closed_at <= created:
        raise ClosedAtNotAfterCreatedError(
            f"closed_at={format_timestamp(closed_at)!r} is not allowed: "
            f"it must be after the receipt's created_at {format_timestamp(created)!r}"
        )
