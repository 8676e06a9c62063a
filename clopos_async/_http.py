"""One HTTP exchange over aiohttp: send, read the whole body, release, map failures.

This is the only module that touches aiohttp's request API. Every response is
read to the end and released inside the ``async with``, so a failed attempt
never pins a connection while the next one waits. aiohttp exceptions leave as
``APIConnectionError``/``APITimeoutError`` (``raise ... from exc``), with
``request_sent=False`` only when the request surely never left this machine.

aiohttp re-sends an idempotent request once, on its own, when a pooled
connection turns out to be reset (``ClientSession._request``, RFC 9112 §9.3.1).
That second attempt would bypass the SDK's stats, limiter and retry policy, so a
per-request middleware refuses it: the reset surfaces here as the connection
error it is, and the SDK's own retry makes the next attempt, counted and paced.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import aiohttp
import attrs

from clopos_async._errors import APIConnectionError, APITimeoutError, TransportError

# Failures that happen before a byte of the request is written (connect phase).
_NOT_SENT: tuple[type[BaseException], ...] = (aiohttp.ClientConnectorError,)
_CONNECT_TIMEOUT: tuple[type[BaseException], ...] = tuple(
    t for t in (getattr(aiohttp, "ConnectionTimeoutError", None),) if t is not None
)


class _OneSend:
    """A client middleware that lets aiohttp send the request once and only once.

    aiohttp calls the middleware chain again for its silent re-send on a reset pooled
    connection; the second call re-raises the first failure instead of sending.
    """

    __slots__ = ("_failure", "_sent")

    def __init__(self) -> None:
        self._sent = False
        self._failure: BaseException | None = None

    async def __call__(
        self, request: aiohttp.ClientRequest, handler: aiohttp.ClientHandlerType
    ) -> aiohttp.ClientResponse:
        if self._sent:
            raise self._failure or aiohttp.ServerDisconnectedError()
        self._sent = True
        try:
            return await handler(request)
        except BaseException as exc:
            self._failure = exc
            raise


def _middlewares(session: aiohttp.ClientSession) -> tuple[Any, ...]:
    # A per-request list replaces the session's (aiohttp docs): keep a borrowed session's own.
    return (*getattr(session, "_middlewares", ()), _OneSend())


@attrs.frozen(kw_only=True, slots=True)
class RawResponse:
    """A response read to the end: status, headers, body bytes and attempt time."""

    status: int
    headers: Mapping[str, str]
    body: bytes
    elapsed: float


class Transport:
    """Sends one request on a session and returns its fully read response."""

    def __init__(
        self,
        base_url: str,
        *,
        session: aiohttp.ClientSession | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._session = session
        self._owns_session = session is None
        self._clock = clock
        self.closed = False

    def session(self) -> aiohttp.ClientSession:
        """The session to send on, created on first use (inside the running loop)."""
        if self.closed:
            raise RuntimeError("this CloposClient is closed; create a new one")
        if self._session is None:
            self._session = aiohttp.ClientSession()
        return self._session

    async def close(self) -> None:
        """Close the session if we created it; a borrowed session is left open."""
        self.closed = True
        session, self._session = self._session, None
        if self._owns_session and session is not None:
            await session.close()

    async def exchange(
        self,
        method: str,
        path: str,
        *,
        params: Sequence[tuple[str, str]] = (),
        body: bytes | None = None,
        headers: Mapping[str, str],
        timeout: float,
    ) -> RawResponse:
        """One attempt. Raises a ``TransportError`` when no response could be read."""
        session = self.session()
        started = self._clock()
        try:
            async with session.request(
                method,
                self.base_url + path,
                params=params or None,
                data=body,
                headers=headers,
                timeout=aiohttp.ClientTimeout(total=timeout),
                # Never follow: aiohttp keeps custom headers (x-token) on a cross-origin
                # redirect and re-sends a 307/308 body (client_secret). A 3xx is an error.
                allow_redirects=False,
                middlewares=_middlewares(session),
            ) as response:
                payload = await response.read()
                return RawResponse(
                    status=response.status,
                    headers=response.headers,
                    body=payload,
                    elapsed=self._clock() - started,
                )
        except Exception as exc:
            error = transport_error(exc, method, path, timeout)
            if error is None:
                raise  # not a transport failure: a bug to see as it is
            raise error from exc


def transport_error(
    exc: Exception, method: str, path: str, timeout: float
) -> TransportError | None:
    """Our error for an aiohttp/asyncio failure, saying whether the request left; else None."""
    kind = type(exc).__name__
    if _CONNECT_TIMEOUT and isinstance(exc, _CONNECT_TIMEOUT):
        return APITimeoutError(
            f"connect timed out after {timeout:g}s", method=method, url=path, request_sent=False
        )
    if isinstance(exc, asyncio.TimeoutError):
        return APITimeoutError(f"no response within {timeout:g}s", method=method, url=path)
    if isinstance(exc, _NOT_SENT):
        return APIConnectionError(
            f"could not connect ({kind})", method=method, url=path, request_sent=False
        )
    if isinstance(exc, (aiohttp.ClientError, OSError)):
        return APIConnectionError(f"connection failed ({kind}: {exc})", method=method, url=path)
    return None
