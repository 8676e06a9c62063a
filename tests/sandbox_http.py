"""Raw-HTTP helper for the sandbox tests: mint a token with a real ``POST /auth``."""

from __future__ import annotations

import aiohttp

from clopos_async.testing import SandboxServer


async def mint_token(http: aiohttp.ClientSession, sb: SandboxServer) -> str:
    """A fresh token from ``sb``'s ``POST /auth`` (API §3), which must answer 200."""
    async with http.post(f"{sb.base_url}/auth", json=sb.credentials.auth_body()) as response:
        assert response.status == 200
        return str((await response.json())["token"])
