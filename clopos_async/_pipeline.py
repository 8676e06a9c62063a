"""The request pipeline: concurrency cap, pacing, token, exchange, envelope, retries.

Every call the SDK makes goes through ``Pipeline.send``:

1. tenacity runs attempts under the retry policy and the call's deadline;
2. each attempt takes a ``max_concurrency`` permit and a rate-limit slot,
   picks up the current token (minting it if needed) and does one exchange;
3. the response's ``RateLimit-*`` headers correct the limiter, and the
   envelope is unwrapped into data or a typed error (API §5, §6);
4. a 401 clears the token that was used and the request is replayed once
   with a fresh one (credentials mode only).

Tokens are minted here too, at ``POST /auth`` under the auth tier (API §7 tier 1).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import orjson

from clopos_async._auth import StaticToken, Token, TokenManager, TokenStore
from clopos_async._clock import Clock
from clopos_async._config import Credentials
from clopos_async._errors import (
    APIError,
    APITimeoutError,
    AuthenticationError,
    CloposError,
    DecodeError,
    RateLimitError,
)
from clopos_async._http import RawResponse, Transport
from clopos_async._pacing import PacingGate
from clopos_async._protocol import unwrap_envelope
from clopos_async._ratelimit import AUTH, TENANT, RateLimiter
from clopos_async._redact import Masker
from clopos_async._retry import MIN_ATTEMPT_SECONDS, Deadline, DeadlineSpent, RetryRunner, Safety
from clopos_async._stats import ClientStats

logger = logging.getLogger("clopos_async")

AUTH_PATH = "/auth"


@attrs.frozen(kw_only=True, slots=True)
class Call:
    """One logical API call, as the resources describe it."""

    method: str
    path: str
    params: Sequence[tuple[str, str]] = ()
    body: bytes | None = attrs.field(default=None, repr=False)  # /auth's holds the secret
    safety: Safety = Safety.SAFE
    timeout: float | None = None
    deadline: float | None = None
    #: Shared with other calls (a close and its reconciling GETs); wins over ``deadline``.
    shared_deadline: Deadline | None = attrs.field(default=None, eq=False, repr=False)


class Pipeline:
    """Sends calls through limiter, token manager, transport and retry policy."""

    def __init__(
        self,
        *,
        transport: Transport,
        credentials: Credentials | None,
        token: str | None,
        headers: Mapping[str, str],
        timeout: float,
        retry: RetryRunner,
        limiter: RateLimiter | None,
        max_concurrency: int,
        clock: Clock,
        stats: ClientStats,
        token_store: TokenStore | None = None,
        tenant: str = "",
    ) -> None:
        self.transport = transport
        self.stats = stats
        self._credentials = credentials
        self._headers = dict(headers)
        self._timeout = timeout
        self._retry = retry
        self._pacing = PacingGate(limiter, stats=stats, clock=clock)
        self._permits = asyncio.Semaphore(max_concurrency)
        self._clock = clock
        # Every error built from a response masks the secrets this client knows (issue 9/8).
        secret = credentials.client_secret if credentials is not None else None
        self.masker = Masker([secret, token])
        self.tokens: TokenManager | StaticToken = (
            TokenManager(self._mint, clock=clock.time, store=token_store, tenant=tenant)
            if token is None
            else StaticToken(token)
        )

    async def send(self, call: Call) -> dict[str, Any]:
        """Run ``call`` to a successful envelope, or raise its final typed error."""
        attempts = 0

        async def attempt(limit: Deadline) -> dict[str, Any]:
            nonlocal attempts
            attempts += 1
            return await self._authorized(call, limit, attempts)

        try:
            return await self._retry.run(
                attempt, call.safety, call.deadline, limit=call.shared_deadline
            )
        except _TokenUnavailable as failure:
            # Minting has its own retries: the call does not start another round of them.
            raise failure.error from failure.error.__cause__

    def _attempt_timeout(self, call: Call, seconds_left: float) -> float:
        if seconds_left < MIN_ATTEMPT_SECONDS:
            # Too little left for a real answer: say so, and let the runner raise the
            # last real failure instead, if there was one (DESIGN §2).
            raise DeadlineSpent(
                "deadline exceeded before the attempt",
                method=call.method,
                url=call.path,
                request_sent=False,
            )
        return min(call.timeout or self._timeout, seconds_left)

    async def _authorized(self, call: Call, limit: Deadline, attempt: int) -> dict[str, Any]:
        replays = 0
        while True:
            try:
                return await self._exchange(call, limit, attempt)
            except _StaleToken as stale:
                self.tokens.invalidate(stale.token)
                if not self._may_replay(stale.token, replays):
                    raise stale.error from None
            replays += 1

    def _may_replay(self, token: Token, replays: int) -> bool:
        """Whether a 401 for ``token`` is answered by another try with a fresh token.

        One replay (DESIGN §2 Auth); a second 401 is final, unless the replay's token
        was the fleet's shared one, minted elsewhere: it may have died before we read
        it, so one more try, with a token the store re-reads or this process mints
        (DESIGN §7). At most two replays: a server refusing every token ends it.
        """
        if not isinstance(self.tokens, TokenManager):
            return False  # a static token: nothing fresh to replay with
        return replays == 0 or (replays == 1 and self.tokens.shared(token))

    async def _exchange(self, call: Call, limit: Deadline, attempt: int) -> dict[str, Any]:
        queued_at = self._clock.monotonic()
        async with self._permits:
            slot = await self._pacing.take(TENANT, call.method, call.path, limit)
            # Queueing for a permit or a pacing slot is not the call's own time: a bulk
            # job waits its turn instead of failing its deadline (README "Retries").
            # The Deadline may be shared (a close and its reconciling GETs): pushing it
            # back here keeps every later request of that call whole.
            limit.extend(self._clock.monotonic() - queued_at)
            response: RawResponse | None = None
            try:
                # Token after the slot: a long pacing wait must not outlive it (DESIGN §2).
                token = await self._current_token(call, limit)
                timeout = self._attempt_timeout(call, limit.left())
                response = await self._send_once(call, timeout, token, attempt)
            finally:
                await self._pacing.free(TENANT, slot, response)
        return self._unwrap(call, response, token)

    async def _current_token(self, call: Call, limit: Deadline) -> Token:
        try:
            return await self.tokens.get(timeout=max(limit.left(), 0.0))
        except asyncio.TimeoutError:
            error: CloposError = APITimeoutError(
                "no token within the call's deadline",
                method=call.method,
                url=call.path,
                request_sent=False,
            )
            raise _TokenUnavailable(error) from None
        except CloposError as exc:
            raise _TokenUnavailable(exc) from exc

    async def _send_once(
        self, call: Call, timeout: float, token: Token, attempt: int
    ) -> RawResponse:
        headers = {**self._headers, "x-token": token.value}
        if call.body is not None:
            headers["Content-Type"] = "application/json"
        return await self._transmit(call, headers, timeout, attempt)

    async def _transmit(
        self, call: Call, headers: Mapping[str, str], timeout: float, attempt: int
    ) -> RawResponse:
        self.stats.requests += 1
        try:
            response = await self.transport.exchange(
                call.method,
                call.path,
                params=call.params,
                body=call.body,
                headers=headers,
                timeout=timeout,
            )
        except Exception as exc:
            _log_attempt(call, "failed", attempt, None, exc)
            raise
        _log_attempt(call, response.status, attempt, response.elapsed, None)
        if response.status == 429:
            self.stats.rate_limited += 1
        return response

    def _unwrap(self, call: Call, response: RawResponse, token: Token) -> dict[str, Any]:
        try:
            return unwrap_envelope(
                status=response.status,
                body=response.body,
                method=call.method,
                url=call.path,
                headers=response.headers,
                masker=self.masker,
            )
        except AuthenticationError as exc:
            if exc.status == 401:
                raise _StaleToken(token, exc) from None
            raise

    # -- minting (API §3) -------------------------------------------------

    async def _mint(self) -> Token:
        """``POST /auth`` under the auth tier and the retry policy."""
        assert self._credentials is not None  # a TokenManager exists only with credentials
        call = Call(method="POST", path=AUTH_PATH, body=orjson.dumps(self._credentials.auth_body()))
        attempts = 0

        async def attempt(limit: Deadline) -> Token:
            nonlocal attempts
            attempts += 1
            return await self._auth_attempt(call, limit, attempts)

        token = await self._retry.run(attempt, Safety.SAFE)
        self.stats.token_refreshes += 1
        return token

    async def _auth_attempt(self, call: Call, limit: Deadline, attempt: int) -> Token:
        queued_at = self._clock.monotonic()
        slot = await self._pacing.take(AUTH, call.method, call.path, limit)
        limit.extend(self._clock.monotonic() - queued_at)
        response: RawResponse | None = None
        try:
            timeout = self._attempt_timeout(call, limit.left())
            headers = {**self._headers, "Content-Type": "application/json"}
            response = await self._transmit(call, headers, timeout, attempt)
        finally:
            await self._pacing.free(AUTH, slot, response)
        envelope = unwrap_envelope(
            status=response.status,
            body=response.body,
            method=call.method,
            url=call.path,
            headers=response.headers,
            is_auth=True,
            masker=self.masker,
        )
        token = token_from_auth(envelope, now=self._clock.time())
        self.masker.add_token(token.value)
        return token


class _TokenUnavailable(Exception):
    """Internal: no token could be had; carries the typed error, never retried as such."""

    def __init__(self, error: CloposError) -> None:
        super().__init__("token unavailable")
        self.error = error


class _StaleToken(Exception):
    """Internal: a 401 answered a request that carried ``token``."""

    def __init__(self, token: Token, error: AuthenticationError) -> None:
        super().__init__("stale token")
        self.token = token
        self.error = error


def token_from_auth(envelope: Mapping[str, Any], *, now: float) -> Token:
    """Read the ``/auth`` success body (API §3.1) into a Token."""
    value = envelope.get("token")
    if not isinstance(value, str) or not value:
        raise DecodeError("missing or empty token", path="token")
    expires_at = _number(envelope, "expires_at")
    expires_in = _number(envelope, "expires_in")
    if expires_at is None and expires_in is None:
        raise DecodeError("neither expires_at nor expires_in is a number", path="expires_at")
    if expires_at is None:
        expires_at = now + (expires_in or 0.0)
    lifetime = expires_in if expires_in is not None else expires_at - now
    return Token(value=value, expires_at=expires_at, lifetime=max(lifetime, 0.0))


def _number(envelope: Mapping[str, Any], key: str) -> float | None:
    value = envelope.get(key)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def _log_attempt(
    call: Call, status: int | str, attempt: int, elapsed: float | None, exc: Exception | None
) -> None:
    if not logger.isEnabledFor(logging.DEBUG):
        return
    elapsed_ms = f"{elapsed * 1000:.1f}" if elapsed is not None else "-"
    reason = f" ({type(exc).__name__})" if exc is not None else ""
    logger.debug(
        "%s %s -> %s%s attempt=%d elapsed_ms=%s",
        call.method,
        call.path,
        status,
        reason,
        attempt,
        elapsed_ms,
    )


def describe_failure(exc: BaseException) -> str:
    """A short reason for a retry log line: the status and slug, or the error type."""
    if isinstance(exc, RateLimitError):
        return "429 rate_limited"
    if isinstance(exc, APIError):
        return f"{exc.status} {exc.code or ''}".strip()
    return type(exc).__name__
