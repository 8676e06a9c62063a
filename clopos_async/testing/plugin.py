"""The pytest plugin: a ``clopos_sandbox`` fixture serving a started ``SandboxServer``.

One job: give tests a running sandbox. Registered as the ``pytest11`` entry point
``clopos_sandbox``; keyword arguments for one test come from its marker::

    @pytest.mark.clopos_sandbox(receipts=1000, latency=0.01)
    async def test_export(clopos_sandbox): ...

The fixture is async, so it needs pytest-asyncio. The entry point loads this
module in every pytest run where clopos-async is installed, so without
pytest-asyncio only tests that use the fixture fail, with a message saying why.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from clopos_async.testing._server import SandboxServer

try:
    import pytest_asyncio
except ImportError:  # pragma: no cover - exercised in a pytester subprocess
    pytest_asyncio = None  # type: ignore[assignment]

#: What the fixture builds when no marker says otherwise.
DEFAULT_OPTIONS: dict[str, Any] = {"receipts": 200, "seed": 0}
MISSING_ASYNCIO = "the clopos_sandbox fixture needs pytest-asyncio: pip install pytest-asyncio"


def pytest_configure(config: pytest.Config) -> None:
    """Register the ``clopos_sandbox`` marker (pytest hook).

    Args:
        config: The pytest configuration.
    """
    config.addinivalue_line(
        "markers",
        "clopos_sandbox(**kwargs): SandboxServer keyword arguments for the clopos_sandbox fixture",
    )


def sandbox_options(request: pytest.FixtureRequest) -> dict[str, Any]:
    """The SandboxServer keyword arguments for this test: defaults, then its marker's.

    Args:
        request: The requesting test's fixture request.

    Returns:
        ``DEFAULT_OPTIONS`` updated with the ``clopos_sandbox`` marker's keywords.
    """
    options = dict(DEFAULT_OPTIONS)
    marker = request.node.get_closest_marker("clopos_sandbox")
    if marker is not None:
        options.update(marker.kwargs)
    return options


if pytest_asyncio is not None:

    @pytest_asyncio.fixture
    async def clopos_sandbox(request: pytest.FixtureRequest) -> AsyncIterator[SandboxServer]:
        """A started ``SandboxServer`` (200 receipts, seed 0 unless the marker overrides).

        Args:
            request: The requesting test; its ``clopos_sandbox`` marker's keywords
                are ``SandboxServer`` arguments.

        Yields:
            The running sandbox; it stops when the test ends.

        Raises:
            ClientValueError: A marker keyword is not allowed (named in the message).
        """
        async with SandboxServer(**sandbox_options(request)) as sandbox:
            yield sandbox

else:  # pragma: no cover - exercised in a pytester subprocess

    @pytest.fixture
    def clopos_sandbox() -> SandboxServer:
        """Fail the test: the async fixture needs pytest-asyncio.

        Returns:
            Never: the test fails with a message saying what to install.
        """
        pytest.fail(MISSING_ASYNCIO, pytrace=False)
