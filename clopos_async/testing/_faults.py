"""The sandbox's scripted fault plan: which requests misbehave, and how.

One job: describe faults, match them to requests by method, path pattern and
attempt number, and build the error replies they inject. The server applies
the ones that need the network (delays, dropped connections).
"""

from __future__ import annotations

import fnmatch
import math
from collections.abc import Iterable, Iterator, Mapping
from typing import Literal, TypedDict

import attrs

from clopos_async._errors import ClientValueError
from clopos_async.testing._wire import Reply, error_reply

ResetWhen = Literal["before", "after"]

#: The ``error`` slug an injected status carries unless one is given (API §6.2, §6.3).
DEFAULT_SLUGS: dict[int, str] = {
    400: "invalid_parameter",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    422: "validation_failed",
    429: "rate_limited",
    500: "internal_error",
    502: "bad_gateway",
    503: "service_unavailable",
    504: "gateway_timeout",
}
DEFAULT_MESSAGES: dict[int, str] = {
    429: "Too many requests",
    500: "Internal server error",
    502: "Bad gateway",
    503: "Service unavailable",
    504: "The upstream Clopos API did not answer within 8 seconds",  # API §6.2
}
_TEXT_PLAIN = (("Content-Type", "text/plain; charset=utf-8"),)
#: ``RateLimit-Reset`` / ``Retry-After`` of an injected 429 unless headers say otherwise.
INJECTED_RETRY_AFTER = 1


def _attempt_set(attempts: Iterable[int] | None) -> frozenset[int] | None:
    if attempts is None:
        return None
    chosen = frozenset(attempts)
    if not chosen or any(isinstance(n, bool) or not isinstance(n, int) or n < 1 for n in chosen):
        raise ClientValueError(
            f"attempts={sorted(chosen, key=repr)!r} is not allowed: "
            "1-based attempt numbers (ints >= 1), at least one"
        )
    return chosen


def _method(method: str) -> str:
    if not isinstance(method, str) or not method:
        raise ClientValueError(f"method={method!r} is not allowed: an HTTP method or '*'")
    return method.upper()


def _headers(headers: Mapping[str, str] | None) -> dict[str, str]:
    return dict(headers or {})


class FaultOptions(TypedDict, total=False):
    """The keyword arguments of ``SandboxServer.fault`` after ``path``: ``Fault``'s own."""

    method: str
    attempts: Iterable[int] | None
    status: int | None
    error: str | None
    message: str | None
    headers: Mapping[str, str] | None
    delay: float
    reset: ResetWhen | None
    malformed: bool
    success_false: bool
    expire_token: bool
    text: str | None
    apply: bool


@attrs.define(kw_only=True, eq=False)
class Fault:
    """One scripted misbehaviour of the sandbox; mutable on purpose: it counts what it matched.

    ``SandboxServer.fault(path, **options)`` makes one and adds it to the sandbox's
    ``FaultPlan``. A fault matches requests by ``method`` and by the fnmatch pattern
    ``path`` on the path under the API root; ``attempts`` picks the 1-based ordinals,
    counted over the requests matching this fault since it was added, on which it
    fires. When it fires, ``delay`` seconds pass first, then at most one outcome:
    ``status``, ``reset``, ``malformed``, ``success_false`` or ``expire_token``. With
    none of them the request is only delayed. The first registered fault that fires wins.

    ``status`` and ``success_false`` stand in for the endpoint, not the gateway
    (API §7): on authenticated routes the request still passes routing, tier 2, the
    token check (no valid token: the usual 401, not the fault) and tier 3 first; the
    injected answer then gets the ``RateLimit-*`` headers (``headers`` given here win)
    and, when it is an error, counts as a failed request for tier 2. A fault fires and
    counts an attempt even when the gateway rejects the request. On ``POST /auth`` the
    injected answer is sent as it is.

    Attributes:
        path: An fnmatch pattern on the path under the API root (``"/receipts/*/close"``).
        method: The HTTP method it matches (any case), or ``"*"`` for any.
        attempts: The 1-based attempt numbers it fires on; None: every matching request.
        status: Answer with this HTTP error (400-599) in the envelope ``{success: false,
            error, message}``; a 429 says ``RateLimit-Remaining: 0``, ``RateLimit-Reset``
            and ``Retry-After: 1``.
        error: The envelope's ``error`` slug; None: a slug for the status.
        message: The envelope's ``message``; None: a default for the status.
        headers: Headers added to the answer.
        delay: Seconds to wait before the outcome (or before the real answer).
        reset: ``"before"``: drop the connection, the endpoint never runs; ``"after"``:
            the endpoint runs (a close IS applied), then the connection drops unanswered.
        malformed: The endpoint runs; the answer is HTTP 200 with a body that is not JSON.
        success_false: Answer HTTP 200 ``{success: false, error, message}``.
        expire_token: Expire every token, then handle the request.
        text: With ``status``: the body, as ``text/plain``, instead of the envelope (a
            proxy's error page).
        apply: Run the endpoint first, on arrival (an order IS created); only then come
            the delay and the outcome: an injected ``status`` after the change ("502
            after apply"), or the real answer, late. Not with ``reset``.
        matched: Requests with this method and path since it was added.
        hits: Requests it fired on.

    Args:
        path: As the attribute (required).
        method: As the attribute; ``"*"`` by default.
        attempts: Any iterable of ints >= 1 (kept as a frozenset), or None.
        status: As the attribute.
        error: As the attribute.
        message: As the attribute.
        headers: Any mapping (copied), or None.
        delay: As the attribute; 0 by default.
        reset: As the attribute.
        malformed: As the attribute.
        success_false: As the attribute.
        expire_token: As the attribute.
        text: As the attribute.
        apply: As the attribute.
        matched: The starting count; leave it 0.
        hits: The starting count; leave it 0.

    Raises:
        ClientValueError: A field is not allowed (named with its value), or more than
            one outcome is given.
    """

    path: str
    method: str = attrs.field(default="*", converter=_method)
    attempts: frozenset[int] | None = attrs.field(default=None, converter=_attempt_set)
    status: int | None = None
    error: str | None = None
    message: str | None = None
    headers: dict[str, str] = attrs.field(factory=dict, converter=_headers)
    delay: float = 0.0
    reset: ResetWhen | None = None
    malformed: bool = False
    success_false: bool = False
    expire_token: bool = False
    text: str | None = None
    apply: bool = False
    matched: int = 0
    hits: int = 0

    def __attrs_post_init__(self) -> None:
        # Checked once, here: a fault edited afterwards (its counters are) is the test's own.
        _check_path(self.path)
        _check_kinds(self)
        outcomes = [self.status is not None, self.reset is not None]
        outcomes += [self.malformed, self.success_false, self.expire_token]
        if sum(outcomes) > 1:
            raise ClientValueError(
                "status, reset, malformed, success_false and expire_token are exclusive: "
                f"got {sum(outcomes)} of them; register one fault per outcome"
            )
        _check_status(self.status)
        if self.text is not None and (self.status is None or not isinstance(self.text, str)):
            raise ClientValueError(
                "text= is not allowed without status=: it is the body of an injected error"
            )
        _check_reset(self.reset)
        _check_delay(self.delay)
        if self.apply is not False and (self.apply is not True or self.reset is not None):
            raise ClientValueError(
                f"apply={self.apply!r} is not allowed: True or False, and not with reset="
            )

    def matches(self, method: str, path: str) -> bool:
        """Whether a request is one this fault counts.

        Args:
            method: The request's method, upper case.
            path: Its path under the API root.

        Returns:
            True when the method and the path pattern match.
        """
        return (self.method in ("*", method)) and fnmatch.fnmatchcase(path, self.path)

    def status_reply(self, rate_limit: int) -> Reply:
        """The error envelope for an injected ``status`` (API §6.1).

        Args:
            rate_limit: The ``RateLimit-Limit`` an injected 429 announces.

        Returns:
            The reply; ``headers`` win over the defaults.
        """
        status = self.status or 500
        if self.text is not None:  # a proxy's or framework's page, not the API's envelope
            plain = Reply(status=status, body=self.text.encode(), headers=_TEXT_PLAIN)
            return plain.with_headers(self.headers)
        slug = self.error or DEFAULT_SLUGS.get(status, "error")
        message = self.message or DEFAULT_MESSAGES.get(status, f"Injected HTTP {status}")
        reply = error_reply(status, slug, message)
        if status == 429:
            reset = str(INJECTED_RETRY_AFTER)
            reply = reply.with_headers(
                {
                    "RateLimit-Limit": str(rate_limit),
                    "RateLimit-Remaining": "0",
                    "RateLimit-Reset": reset,
                    "Retry-After": reset,
                }
            )
        return reply.with_headers(self.headers)

    def success_false_reply(self) -> Reply:
        """HTTP 200 with ``success: false`` (API §6.1: branch on success, not status).

        Returns:
            The reply, with ``headers`` added.
        """
        message = self.message or "Rejected with HTTP 200 (injected)"
        reply = error_reply(200, self.error or "invalid_parameter", message)
        return reply.with_headers(self.headers)


def _check_path(path: object) -> None:
    if not isinstance(path, str) or not path.startswith("/"):
        raise ClientValueError(
            f"path={path!r} is not allowed: a pattern relative to the API root, like '/receipts/*'"
        )


def _check_status(status: int | None) -> None:
    if status is not None and (isinstance(status, bool) or status not in range(400, 600)):
        raise ClientValueError(f"status={status!r} is not allowed: an HTTP error status 400-599")


def _check_reset(reset: object) -> None:
    if reset not in (None, "before", "after"):
        raise ClientValueError(f"reset={reset!r} is not allowed: 'before', 'after' or None")


def _check_delay(delay: object) -> None:
    if (
        not isinstance(delay, (int, float))
        or isinstance(delay, bool)
        or not math.isfinite(delay)
        or delay < 0
    ):
        raise ClientValueError(f"delay={delay!r} is not allowed: a number of seconds >= 0")


def _check_kinds(fault: Fault) -> None:
    """The flags are bools and the texts strings (a typo'd value must not pass as truthy)."""
    for name in ("malformed", "success_false", "expire_token"):
        if getattr(fault, name).__class__ is not bool:
            raise ClientValueError(f"{name}={getattr(fault, name)!r} is not allowed: True or False")
    for name in ("error", "message"):
        value = getattr(fault, name)
        if value is not None and not isinstance(value, str):
            raise ClientValueError(f"{name}={value!r} is not allowed: a string or None")


class FaultPlan:
    """The ordered faults of a sandbox; the first one that fires on a request wins.

    ``sandbox.faults`` is one; iterate it for the faults, ``len()`` for their number.
    """

    def __init__(self) -> None:
        self._faults: list[Fault] = []

    def add(self, fault: Fault) -> Fault:
        """Register ``fault`` after the others.

        Args:
            fault: The fault to add.

        Returns:
            The same fault.
        """
        self._faults.append(fault)
        return fault

    def remove(self, fault: Fault) -> None:
        """Unregister ``fault``.

        Args:
            fault: A fault added earlier.

        Raises:
            ValueError: It is not in the plan.
        """
        self._faults.remove(fault)

    def clear(self) -> None:
        """Unregister every fault."""
        self._faults.clear()

    def __iter__(self) -> Iterator[Fault]:
        return iter(list(self._faults))

    def __len__(self) -> int:
        return len(self._faults)

    def match(self, method: str, path: str) -> Fault | None:
        """Count this request on every matching fault; return the first that fires.

        Args:
            method: The request's method, upper case.
            path: Its path under the API root.

        Returns:
            The fault that fires (its ``hits`` counted), or None.
        """
        fired: Fault | None = None
        for fault in self._faults:
            if not fault.matches(method, path):
                continue
            fault.matched += 1
            if fired is None and (fault.attempts is None or fault.matched in fault.attempts):
                fired = fault
        if fired is not None:
            fired.hits += 1
        return fired

    def reset_hits(self) -> None:
        """Set every fault's ``hits`` back to 0 (``matched`` keeps counting attempts)."""
        for fault in self._faults:
            fault.hits = 0
