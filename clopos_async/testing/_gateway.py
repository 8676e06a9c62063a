"""The sandbox's gateway: routing, the three rate-limit tiers and token checks (API §4, §7).

One job: decide, in the documented order, whether a request reaches its endpoint,
and put the ``RateLimit-*`` headers on every authenticated answer.

Order on authenticated routes (API §7): tier 2 (failed requests per IP) before
the token is looked at; then the token; then tier 3 (per ``integrator_id:brand``
from the verified token); then the endpoint. A 429 consumes no tier-3 budget.
An injected ``upstream`` reply (a scripted fault) stands in for the endpoint only
once the request got that far, so it is limited and counted like a real answer.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping, Sequence

from clopos_async.testing._collections import Collection
from clopos_async.testing._handlers import ReceiptsEndpoints, authenticate
from clopos_async.testing._limits import (
    KeyedWindows,
    Quota,
    RateTier,
    SlidingWindow,
    most_constrained,
)
from clopos_async.testing._tokens import TokenIssuer
from clopos_async.testing._wire import Call, Rejected, Reply, error_reply

#: One endpoint's handler: the admitted call and the id in its path, if any.
Route = Callable[[Call, str | None], Reply]


def too_many(quota: Quota) -> Reply:
    """429 ``rate_limited`` (API §7; body as on the older orders page) with its headers."""
    message = f"Too many requests: retry in {quota.reset} s"
    return _with_quota(error_reply(429, "rate_limited", message), quota)


def _with_quota(reply: Reply, quota: Quota | None) -> Reply:
    if quota is None:
        return reply
    headers = quota.headers()
    if reply.status == 429:
        headers["Retry-After"] = str(quota.reset)
    return reply.with_headers(headers)


def _windows(tier: RateTier | None) -> KeyedWindows | None:
    return None if tier is None else KeyedWindows(tier)


class Gateway:
    """Routes a ``Call`` through limits and auth to its endpoint; always returns a Reply."""

    def __init__(
        self,
        issuer: TokenIssuer,
        receipts: ReceiptsEndpoints,
        auth_limit: RateTier | None,
        flood_limit: RateTier | None,
        tenant_limit: RateTier | None,
        *,
        collections: Sequence[Collection] = (),
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.issuer = issuer
        self.auth_windows = _windows(auth_limit)
        self.flood_windows = _windows(flood_limit)
        self.tenant_windows = _windows(tenant_limit)
        self._clock = clock
        self._routes: tuple[tuple[re.Pattern[str], Mapping[str, Route]], ...] = (
            (re.compile(r"/receipts()"), {"GET": receipts.list}),
            (re.compile(r"/receipts/([^/]+)"), {"GET": receipts.get, "PATCH": receipts.patch}),
            (re.compile(r"/receipts/([^/]+)/close"), {"POST": receipts.close}),
            *(route for collection in collections for route in collection.routes()),
        )

    def handle(self, call: Call, *, upstream: Reply | None = None) -> Reply:
        """The answer to ``call``; ``upstream``, if given, replaces the endpoint's answer.

        On authenticated routes ``upstream`` is only sent once the request passed
        routing, tier 2, the token and tier 3; it gets the ``RateLimit-*`` headers,
        and its own headers win over them. ``POST /auth`` sends it as it is.
        """
        if call.path == "/auth":
            return self._auth(call) if upstream is None else upstream
        return self._guarded(call, upstream)

    def _auth(self, call: Call) -> Reply:
        """``POST /auth`` behind tier 1: requests per client IP (API §7)."""
        if call.method != "POST":
            return MethodNotAllowed(call, ("POST",)).reply()
        if self.auth_windows is not None:
            window = self.auth_windows[call.ip]
            now = self._clock()
            if window.full(now):
                return too_many(window.quota(now))
            window.record(now)
        try:
            return authenticate(self.issuer, call)
        except Rejected as rejected:
            return rejected.reply()

    def _guarded(self, call: Call, upstream: Reply | None) -> Reply:
        now = self._clock()
        flood = None if self.flood_windows is None else self.flood_windows[call.ip]
        if flood is not None and flood.full(now):
            return too_many(flood.quota(now))  # API §7: tier 2 runs before JWT validation
        reply, tenant = self._admit(call, now, upstream)
        if flood is not None and reply.status >= 400:
            flood.record(now)  # tier 2 counts only failed responses
        windows = [w for w in (flood, tenant) if w is not None]
        limited = _with_quota(reply, most_constrained(w.quota(now) for w in windows))
        if reply is upstream:
            # A test's scripted headers (an injected 429's Reset) beat the computed ones.
            limited = limited.with_headers(dict(upstream.headers))
        return limited

    def _admit(
        self, call: Call, now: float, upstream: Reply | None
    ) -> tuple[Reply, SlidingWindow | None]:
        """The endpoint's (or ``upstream``) reply, or why it was not reached; the tenant window."""
        try:
            endpoint, raw_id = self._resolve(call)
            claims = self.issuer.verify(call.headers.get("x-token"))
        except Rejected as rejected:
            return rejected.reply(), None
        tenant = None if self.tenant_windows is None else self.tenant_windows[claims.tenant]
        if tenant is not None:
            if tenant.full(now):
                return too_many(tenant.quota(now)), tenant  # consumes no tier-3 budget
            tenant.record(now)
        if upstream is not None:
            return upstream, tenant
        try:
            _check_venue(call.headers.get("x-venue"))
            return endpoint(call, raw_id), tenant
        except Rejected as rejected:
            return rejected.reply(), tenant

    def _resolve(self, call: Call) -> tuple[Route, str | None]:
        for pattern, methods in self._routes:
            match = pattern.fullmatch(call.path)
            if match is None:
                continue
            endpoint = methods.get(call.method)
            if endpoint is None:
                raise MethodNotAllowed(call, tuple(methods))
            return endpoint, match[1] or None
        raise Rejected(404, "not_found", f"No route for {call.method} {call.path}")


def _check_venue(venue: str | None) -> None:
    """``x-venue`` (API §4) overrides the token's venue; it must be a numeric id."""
    if venue is not None and not (venue.isascii() and venue.isdigit()):
        raise Rejected(
            400, "invalid_parameter", f"x-venue={venue!r} is invalid: a numeric venue id"
        )


class MethodNotAllowed(Rejected):
    """405 with the error envelope and the ``Allow`` header HTTP requires."""

    def __init__(self, call: Call, allowed: tuple[str, ...]) -> None:
        message = f"{call.method} is not allowed on {call.path}; allowed: {', '.join(allowed)}"
        super().__init__(405, "method_not_allowed", message)
        self.allowed = allowed

    def reply(self) -> Reply:
        return super().reply().with_headers({"Allow": ", ".join(self.allowed)})
