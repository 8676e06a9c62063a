"""The sandbox's HTTP edge: aiohttp requests in, ``Call``/``Reply`` across, bytes out.

One job: translate between aiohttp.web and the sandbox's own ``Call`` and ``Reply``,
and drop a connection when a fault says so.
"""

from __future__ import annotations

import time

from aiohttp import web

from clopos_async.testing._wire import Call, Reply, error_reply

API_ROOT = "/open-api/v2"  # API §1: every path hangs under /open-api/v2


def relative_path(path: str) -> str | None:
    """The path under the API root (``/receipts/5``); None for a path outside it."""
    if path == API_ROOT or path.startswith(API_ROOT + "/"):
        return path[len(API_ROOT) :] or "/"
    return None


def outside_root(call: Call) -> Reply:
    """404 for a path outside the API root: a wrong ``base_url`` must fail here too."""
    # API §1: every path hangs under /open-api/v2; nothing else answers.
    message = f"No route for {call.method} {call.path}: API paths start with {API_ROOT}"
    return error_reply(404, "not_found", message)


def call_of(request: web.Request, path: str) -> Call:
    return Call(
        method=request.method,
        path=path,
        query=tuple(request.rel_url.query.items()),
        headers=request.headers,
        body=b"",
        ip=request.remote or "unknown",
        received=time.perf_counter(),
    )


def response(reply: Reply) -> web.Response:
    headers = {"Content-Type": "application/json"}
    headers.update(reply.headers)
    return web.Response(status=reply.status, body=reply.body, headers=headers)


def drop_connection(request: web.Request) -> None:
    """Close the socket with no response: clients see a disconnect or reset."""
    request.protocol.force_close()
    transport = request.transport
    if transport is not None:
        transport.close()
