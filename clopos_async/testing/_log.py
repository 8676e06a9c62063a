"""What the sandbox records for assertions: every request, and every write it applied.

One job: the frozen record types tests read from ``SandboxServer.log`` (requests) and
``SandboxServer.changes`` (state changes; ``SandboxServer.closes`` is a view of it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs
from multidict import CIMultiDict, CIMultiDictProxy

#: Request headers whose values never reach the log (tokens are secrets).
REDACTED_HEADERS = frozenset({"x-token", "authorization", "cookie"})


def logged_headers(headers: Mapping[str, str]) -> CIMultiDictProxy[str]:
    """A case-insensitive, read-only copy of ``headers`` with secrets replaced by ``***``."""
    copy: CIMultiDict[str] = CIMultiDict()
    for name, value in headers.items():
        copy.add(name, "***" if name.lower() in REDACTED_HEADERS else value)
    return CIMultiDictProxy(copy)


@attrs.frozen(kw_only=True, slots=True)
class LoggedRequest:
    """One HTTP request the sandbox received, logged in order of arrival.

    Attributes:
        method: The HTTP method, upper case.
        path: The path relative to the API root (``/receipts/5``); a request outside
            the root keeps its full path (and was answered 404).
        query: The query parameters as sent, in order.
        status: The answer's HTTP status; 0 while the request is still being handled
            and when the connection was dropped without a response.
        started: The sandbox's ``clock`` (``time.monotonic`` unless one is injected)
            at arrival.
        elapsed: Seconds on that clock until the answer (or the drop).
        rate_limited: True when the answer was a 429.
        headers: The request's headers (case-insensitive, ``headers.get("x-venue")``)
            with ``x-token`` shown as ``***``.
    """

    method: str
    path: str
    query: list[tuple[str, str]]
    status: int
    started: float
    elapsed: float
    rate_limited: bool
    headers: Mapping[str, str] = attrs.field(factory=dict, eq=False)


@attrs.frozen(kw_only=True, slots=True)
class StateChange:
    """One write the sandbox applied, logged in ``SandboxServer.changes`` in order.

    Every write appends exactly one: a close, a ``PATCH`` of a receipt, a created
    customer, a created, cancelled or accepted order. A rejected write appends none
    (cancelling an order twice is rejected the second time), so "exactly one state
    change" is ``len(sandbox.changes_to(resource, action)) == 1`` for any write. A
    ``PATCH`` is applied, and logged, each time it is sent, even with the same values:
    it sets state, so the client may retry it (DESIGN §2).

    Attributes:
        resource: The collection written: ``"receipts"``, ``"customers"`` or ``"orders"``.
        action: What happened: ``"close"`` or ``"update"`` (receipts), ``"create"``
            (customers, orders), ``"cancel"`` or ``"accept"`` (orders).
        id: The id of the row written.
        key: The client's idempotency key, if the row has one: a customer's ``cid``,
            an order's ``order_number``; else None.
        detail: What the write set: a close's ``payment_methods`` and ``closed_at``, a
            ``PATCH``'s fields, an accepted order's new ``receipt_id``; else empty.
    """

    resource: str
    action: str
    id: int
    key: str | None = None
    detail: Mapping[str, Any] = attrs.field(factory=dict)


@attrs.frozen(kw_only=True, slots=True)
class CloseRecord:
    """One close applied by ``POST /receipts/{id}/close``: a view of its ``StateChange``.

    Attributes:
        receipt_id: The receipt closed.
        payment_methods: The payment methods stored on it, as wire dicts.
        closed_at: The ``closed_at`` stored on it (venue local time, ``Y-m-d H:i:s``).
    """

    receipt_id: int
    payment_methods: list[dict[str, Any]]
    closed_at: str


def closes_in(changes: Iterable[StateChange]) -> list[CloseRecord]:
    """The closes among ``changes``, in order, as ``CloseRecord``s."""
    return [
        CloseRecord(
            receipt_id=change.id,
            payment_methods=list(change.detail["payment_methods"]),
            closed_at=change.detail["closed_at"],
        )
        for change in changes
        if change.resource == "receipts" and change.action == "close"
    ]
