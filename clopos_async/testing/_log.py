"""What the sandbox records for assertions: every request, and every close it applied.

One job: the two frozen record types tests read from ``SandboxServer.log`` and
``SandboxServer.closes``.
"""

from __future__ import annotations

from collections.abc import Mapping
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

    ``path`` is relative to the API root (``/receipts/5``); a request outside the
    root keeps its full path and is answered 404. ``status`` is 0 while
    the request is still being handled and when the connection was dropped without
    a response; ``started`` is ``time.monotonic()`` at arrival and ``elapsed`` the
    seconds until the answer (or drop). ``headers`` are the request's headers
    (case-insensitive, e.g. ``headers.get("x-venue")``) with ``x-token`` shown as ``***``.
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
class CloseRecord:
    """One state change made by ``POST /receipts/{id}/close``."""

    receipt_id: int
    payment_methods: list[dict[str, Any]]
    closed_at: str
