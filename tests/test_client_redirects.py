"""A redirect is never followed: the token and the credentials stay on the API host."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from clopos_async import APIError, CloposClient, Credentials, RetryPolicy


@pytest.fixture
async def elsewhere() -> AsyncIterator[tuple[TestServer, list[web.Request]]]:
    seen: list[web.Request] = []

    async def steal(request: web.Request) -> web.Response:
        seen.append(request)
        return web.json_response({"success": True, "data": {"id": 1}, "token": "x"})

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", steal)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    yield server, seen
    await server.close()


async def redirecting_server(target: str, status: int) -> TestServer:
    async def redirect(request: web.Request) -> web.Response:
        return web.Response(status=status, headers={"Location": target})

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", redirect)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    return server


@pytest.mark.parametrize("status", [302, 307])
async def test_token_is_not_sent_to_a_redirect_target(
    elsewhere: tuple[TestServer, list[web.Request]], status: int
) -> None:
    target, seen = elsewhere
    api = await redirecting_server(str(target.make_url("/steal")), status)
    try:
        async with CloposClient(
            token="SECRET.TOKEN", base_url=str(api.make_url("/open-api/v2")), retry=RetryPolicy()
        ) as clopos:
            with pytest.raises(APIError) as info:
                await clopos.receipts.get(1)
    finally:
        await api.close()
    assert info.value.status == status
    assert seen == []


async def test_credentials_are_not_replayed_to_a_redirect_target(
    elsewhere: tuple[TestServer, list[web.Request]],
) -> None:
    target, seen = elsewhere
    api = await redirecting_server(str(target.make_url("/steal")), 308)
    credentials = Credentials(client_id="a", client_secret="S3CRET", brand="b", integrator_id="c")
    try:
        async with CloposClient(
            credentials=credentials, base_url=str(api.make_url("/open-api/v2"))
        ) as clopos:
            with pytest.raises(APIError):
                await clopos.receipts.get(1)
    finally:
        await api.close()
    assert seen == []
