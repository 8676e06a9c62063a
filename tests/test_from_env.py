"""``CloposClient.from_env(**overrides)`` is typed: overrides are the constructor's arguments."""

from __future__ import annotations

import pytest

from clopos_async import CloposClient, RetryPolicy


async def test_overrides_win_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLOPOS_TOKEN", "tok")
    monkeypatch.setenv("CLOPOS_BASE_URL", "http://127.0.0.1:9")
    client = CloposClient.from_env(
        base_url="http://127.0.0.1:10", retry=RetryPolicy(max_attempts=2), max_concurrency=3
    )
    assert "http://127.0.0.1:10" in repr(client)
    await client.close()


def test_a_misspelt_override_is_a_type_error_for_mypy_and_at_run_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CLOPOS_TOKEN", "tok")
    # mypy --strict flags unused ignores, so this line proves the checker rejects it too.
    with pytest.raises(TypeError, match="timeot"):
        CloposClient.from_env(timeot=5.0)  # type: ignore[call-arg]
