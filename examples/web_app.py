"""One client per aiohttp.web application, opened and closed with the app (cleanup_ctx).

    python examples/web_app.py

The script serves the app on a free loopback port, asks it for one receipt,
prints the answer and exits. A client holds a connection pool, a token and the
rate-limit budget: share one per process, never one per request.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import aiohttp
from aiohttp import web

from clopos_async import CloposClient, NotFoundError
from clopos_async.testing import SandboxServer

CLIENT = web.AppKey("clopos", CloposClient)
SANDBOX = web.AppKey("sandbox", SandboxServer)


async def clopos_client(app: web.Application) -> AsyncIterator[None]:
    """Startup opens the client, cleanup closes it (aiohttp's cleanup_ctx protocol)."""
    # In production: ``async with CloposClient.from_env() as clopos:``
    async with app[SANDBOX].client() as clopos:
        app[CLIENT] = clopos
        yield


async def receipt_summary(request: web.Request) -> web.Response:
    clopos = request.app[CLIENT]
    try:
        receipt = await clopos.receipts.get(int(request.match_info["id"]))
    except NotFoundError:
        raise web.HTTPNotFound(text="no such receipt") from None
    return web.json_response(
        {
            "id": receipt.id,
            "status": int(receipt.status or 0),
            "total": str(receipt.total),  # a string keeps the Decimal exact
            "created_at": str(receipt.created_at),
        }
    )


def make_app(sandbox: SandboxServer) -> web.Application:
    app = web.Application()
    app[SANDBOX] = sandbox
    app.cleanup_ctx.append(clopos_client)
    app.router.add_get("/receipts/{id:\\d+}", receipt_summary)
    return app


async def main() -> None:
    async with SandboxServer(receipts=50, seed=5) as sandbox:
        runner = web.AppRunner(make_app(sandbox))
        await runner.setup()  # runs the cleanup_ctx startup half: the client opens
        site = web.TCPSite(runner, "127.0.0.1", 0)  # port 0: any free port
        await site.start()
        host, port = runner.addresses[0][:2]
        try:
            url = f"http://{host}:{port}/receipts/7"
            async with aiohttp.ClientSession() as http, http.get(url) as response:
                print(f"GET /receipts/7 -> {response.status} {await response.text()}")
        finally:
            await runner.cleanup()  # the cleanup half: the client closes


if __name__ == "__main__":
    asyncio.run(main())
