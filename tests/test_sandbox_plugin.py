"""The pytest plugin: the ``clopos_sandbox`` fixture and its marker, in a pytester run."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

TESTS = """
import aiohttp
import pytest

from clopos_async.testing import SandboxServer


@pytest.mark.asyncio
async def test_default(clopos_sandbox):
    assert isinstance(clopos_sandbox, SandboxServer)
    assert len(clopos_sandbox.receipt_ids()) == 200
    async with aiohttp.ClientSession() as http:
        body = clopos_sandbox.credentials.auth_body()
        async with http.post(clopos_sandbox.base_url + "/auth", json=body) as response:
            assert response.status == 200


@pytest.mark.asyncio
@pytest.mark.clopos_sandbox(receipts=7, open_ratio=1.0)
async def test_marker(clopos_sandbox):
    assert clopos_sandbox.receipt_ids() == clopos_sandbox.receipt_ids(status=1)
    assert len(clopos_sandbox.receipt_ids()) == 7
"""


def test_fixture_and_marker_work_in_a_fresh_pytest_run(pytester: pytest.Pytester) -> None:
    pytester.makeini(
        "[pytest]\nasyncio_default_fixture_loop_scope = function\nfilterwarnings = error\n"
    )
    pytester.makepyfile(test_uses_sandbox=TESTS)
    result = pytester.runpytest_subprocess(
        "-p", "no:clopos_sandbox", "-p", "clopos_async.testing.plugin", "--strict-markers"
    )
    result.assert_outcomes(passed=2)


def test_the_marker_is_documented(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest_subprocess(
        "-p", "no:clopos_sandbox", "-p", "clopos_async.testing.plugin", "--markers"
    )
    result.stdout.fnmatch_lines(["*clopos_sandbox(**kwargs)*SandboxServer*"])


def test_without_pytest_asyncio_only_the_fixture_users_fail(pytester: pytest.Pytester) -> None:
    # A local module shadows pytest-asyncio, as if it were not installed.
    pytester.makepyfile(pytest_asyncio="raise ImportError('pytest-asyncio is not installed')")
    pytester.makepyfile(
        test_plain="def test_plain():\n    assert True\n",
        test_fixture="def test_fixture(clopos_sandbox):\n    pass\n",
    )
    result = pytester.runpytest_subprocess(
        "-p", "no:asyncio", "-p", "no:clopos_sandbox", "-p", "clopos_async.testing.plugin"
    )
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*clopos_sandbox fixture needs pytest-asyncio*"])
