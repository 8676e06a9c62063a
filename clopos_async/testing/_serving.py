"""How the sandbox answers one HTTP request: log, latency, hooks, fault plan, gateway.

One job: turn an aiohttp request into the reply the scripted fault plan and the
gateway make of it (or a dropped connection), logging it on arrival and on answer.
``SandboxServer`` owns one ``Pipeline`` and exposes its log and counters.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping

import attrs
from aiohttp import web

from clopos_async.testing._edge import (
    call_of,
    drop_connection,
    outside_root,
    relative_path,
    response,
)
from clopos_async.testing._faults import Fault, FaultPlan
from clopos_async.testing._gateway import Gateway
from clopos_async.testing._log import LoggedRequest, logged_headers
from clopos_async.testing._wire import Call, Reply, error_reply

logger = logging.getLogger(__name__)

#: A test's hook on served requests: (method, path under the API root, query) -> None.
#: It may be a coroutine function (a ``before`` hook that sleeps delays that request).
Hook = Callable[[str, str, Mapping[str, str]], Awaitable[None] | None]


class Pipeline:
    """The request path of one sandbox, with the log and in-flight counts it keeps."""

    def __init__(
        self,
        gateway: Gateway,
        faults: FaultPlan,
        *,
        expire_tokens: Callable[[], None],
        tenant_requests: int,
        latency: float = 0.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.gateway = gateway
        self.faults = faults
        self.latency = latency
        self.log: list[LoggedRequest] = []
        self.hooks: dict[str, list[Hook]] = {"before": [], "after": []}
        self.in_flight = 0
        self.max_in_flight = 0
        self._expire_tokens = expire_tokens
        self._tenant_requests = tenant_requests  # the Limit an injected 429 announces
        self._clock = clock

    async def serve(self, request: web.Request) -> web.StreamResponse:
        """The aiohttp handler of every path: answer, or drop the connection."""
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        relative = relative_path(request.path)
        call = call_of(request, request.path if relative is None else relative)
        entry = self._arrived(call)
        status = 0
        try:
            call = attrs.evolve(call, body=await request.read())
            reply = await self._respond(call, under_root=relative is not None)
            if reply is None:
                drop_connection(request)
                return web.Response(status=204)  # never written: the transport is closed
            status = reply.status
            return response(reply)
        finally:
            self.in_flight -= 1
            self._finished(entry, status)

    async def _respond(self, call: Call, *, under_root: bool) -> Reply | None:
        """The reply to send, or None to drop the connection without one."""
        if self.latency > 0:
            await asyncio.sleep(self.latency)
        if not under_root:
            return outside_root(call)  # no gateway, no faults: nothing lives there
        await self._run_hooks("before", call)
        reply = await self._faulted(call)
        await self._run_hooks("after", call)
        return reply

    async def _run_hooks(self, when: str, call: Call) -> None:
        for hook in self.hooks[when]:
            outcome = hook(call.method, call.path, dict(call.query))
            if outcome is not None:
                await outcome

    async def _faulted(self, call: Call) -> Reply | None:
        """The fault plan's answer, or the gateway's when no fault fires."""
        fault = self.faults.match(call.method, call.path)
        if fault is None:
            return self._handle(call)
        if fault.apply:
            return await self._apply_first(fault, call)
        if fault.delay > 0:
            await asyncio.sleep(fault.delay)
        return self._apply(fault, call)

    async def _apply_first(self, fault: Fault, call: Call) -> Reply:
        """The endpoint runs now; the (late, or replaced) answer comes after the delay."""
        reply = self._handle(call)
        if fault.delay > 0:
            await asyncio.sleep(fault.delay)
        injected = self._injected(fault)
        return (reply if injected is None else injected).with_headers(fault.headers)

    def _apply(self, fault: Fault, call: Call) -> Reply | None:
        if fault.reset == "before":
            return None
        injected = self._injected(fault)
        if injected is not None:
            return self._handle(call, upstream=injected)  # the gateway still admits it
        if fault.expire_token:
            self._expire_tokens()
        reply = self._handle(call)
        if fault.reset == "after":
            return None  # the endpoint ran (a close IS applied); the answer is lost
        if fault.malformed:
            # A strict prefix of a JSON object is never valid JSON.
            reply = attrs.evolve(reply, status=200, body=reply.body[: len(reply.body) // 2])
        return reply.with_headers(fault.headers)

    def _injected(self, fault: Fault) -> Reply | None:
        """The answer a ``status`` or ``success_false`` fault puts in the endpoint's place."""
        if fault.status is not None:
            return fault.status_reply(self._tenant_requests)
        if fault.success_false:
            return fault.success_false_reply()
        return None

    def _handle(self, call: Call, *, upstream: Reply | None = None) -> Reply:
        try:
            return self.gateway.handle(call, upstream=upstream)
        except Exception:
            # API §6.2: an unhandled gateway error is a 500; log it so tests see why.
            logger.exception("sandbox failed on %s %s", call.method, call.path)
            return error_reply(500, "internal_error", "Unhandled gateway error")

    def _arrived(self, call: Call) -> LoggedRequest:
        """Log a request as it arrives (status 0 until answered), so tests see it at once."""
        entry = LoggedRequest(
            method=call.method,
            path=call.path,
            query=list(call.query),
            status=0,
            started=self._clock(),  # the rate windows' clock: one timeline for tests
            elapsed=0.0,
            rate_limited=False,
            headers=logged_headers(call.headers),
        )
        self.log.append(entry)
        return entry

    def _finished(self, entry: LoggedRequest, status: int) -> None:
        """Replace the arrival entry with the outcome (unless reset_stats dropped it)."""
        final = attrs.evolve(
            entry,
            status=status,
            elapsed=self._clock() - entry.started,
            rate_limited=status == 429,
        )
        for index in range(len(self.log) - 1, -1, -1):
            if self.log[index] is entry:
                self.log[index] = final
                return
