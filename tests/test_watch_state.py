"""The change feed's pure state: horizon, edge, pruning and the checkpoint string."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from clopos_async import ClientValueError
from clopos_async._watch_state import WatchState, state_from_since, watch_seconds

LOOKBACK = timedelta(seconds=2)
T0 = datetime(2025, 8, 12, 10, 0, 0)


def test_from_now_reads_back_from_the_newest_item() -> None:
    state = state_from_since(None, lookback=LOOKBACK, aware=False)
    assert state.horizon(T0) == T0 - LOOKBACK


def test_since_a_datetime_is_a_floor_that_the_lookback_never_goes_below() -> None:
    state = state_from_since(T0, lookback=LOOKBACK, aware=False)
    assert state.horizon(None) == T0
    state.deliver((1, T0))
    assert state.horizon(None) == T0  # watermark - lookback is below the floor
    state.deliver((2, T0 + timedelta(seconds=10)))
    assert state.horizon(None) == T0 + timedelta(seconds=8)


def test_the_edge_keeps_only_changes_inside_the_lookback_window() -> None:
    state = WatchState(lookback=LOOKBACK)
    for offset, key in enumerate((1, 2, 3, 4)):
        state.deliver((key, T0 + timedelta(seconds=offset)))
    # watermark 10:00:03; the window reaches back to 10:00:01.
    assert list(state.edge) == [(2, T0 + timedelta(seconds=1)), (3, T0 + timedelta(seconds=2)),
                                (4, T0 + timedelta(seconds=3))]
    assert not state.is_new((3, T0 + timedelta(seconds=2)))
    assert state.is_new((3, T0 + timedelta(seconds=3)))  # the same id, changed again


def test_a_late_change_below_the_watermark_is_kept_without_moving_it() -> None:
    state = WatchState(lookback=LOOKBACK)
    state.deliver((1, T0))
    state.deliver((2, T0 - timedelta(seconds=1)))
    assert state.watermark == T0
    assert (2, T0 - timedelta(seconds=1)) in state.edge


@pytest.mark.parametrize("aware", [False, True])
def test_checkpoint_round_trips_watermark_edge_and_floor(aware: bool) -> None:
    tz = timezone.utc if aware else None
    start = T0.replace(tzinfo=tz)
    state = WatchState(lookback=LOOKBACK, floor=start - timedelta(days=1))
    state.deliver((11, start + timedelta(microseconds=250)))
    state.deliver((12, start + timedelta(seconds=1)))
    text = state.checkpoint()
    again = state_from_since(text, lookback=LOOKBACK, aware=aware)
    assert again.watermark == state.watermark
    assert again.floor == state.floor
    assert list(again.edge) == list(state.edge)
    assert again.checkpoint() == text
    assert len(text) < 200


def test_an_empty_state_checkpoints_and_resumes_as_read_everything() -> None:
    text = WatchState(lookback=LOOKBACK).checkpoint()
    again = state_from_since(text, lookback=LOOKBACK, aware=False)
    assert again.watermark is None
    assert again.horizon(T0) is None
    assert not again.from_now


@pytest.mark.parametrize(
    ("since", "aware", "words"),
    [
        (12, False, "since=int is not allowed"),
        (datetime(2025, 1, 1, tzinfo=timezone.utc), False, "venue local time"),
        (datetime(2025, 1, 1), True, "is naive"),
        ("yesterday", False, "is not a checkpoint"),
        ('{"v": 2}', False, "is not a checkpoint"),
        ('{"v": 1, "w": "2025-08-12T10:00:00", "e": [[true, 0]]}', False, "not a checkpoint"),
        ('{"v": 1, "w": "2025-08-12T10:00:00", "e": [[1, -5]]}', False, "not a checkpoint"),
        ('{"v": 1, "w": "2025-08-12T10:00:00+00:00", "e": []}', False, "venue local time"),
        ('{"v": 1, "w": "2025-08-12T10:00:00", "e": [[1, 99999999999999999]]}', False, "not a"),
    ],
)
def test_bad_since_is_a_client_value_error(since: object, aware: bool, words: str) -> None:
    with pytest.raises(ClientValueError, match=words):
        state_from_since(since, lookback=LOOKBACK, aware=aware)


@given(st.text(max_size=200))
def test_any_text_is_a_checkpoint_or_a_client_value_error(text: str) -> None:
    try:
        state = state_from_since(text, lookback=LOOKBACK, aware=False)
    except ClientValueError as exc:
        message = str(exc)
    else:
        message = "since=" if orjson.loads(state.checkpoint())["v"] == 1 else "wrong version"
    assert message.startswith("since=")


SCALARS = st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.text(max_size=5)
KEYS = st.sampled_from(["v", "w", "e", "f"])
JSON = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=12,
)


@given(JSON)
def test_any_json_is_a_checkpoint_or_a_client_value_error(doc: object) -> None:
    text = orjson.dumps(doc).decode()
    try:
        state = state_from_since(text, lookback=LOOKBACK, aware=False)
    except ClientValueError as exc:
        assert "is not a checkpoint" in str(exc) or "venue local time" in str(exc)  # noqa: PT017
    else:
        assert state_from_since(state.checkpoint(), lookback=LOOKBACK, aware=False) == state


@pytest.mark.parametrize("value", [0, -1, float("nan"), float("inf"), True, "5", None, 10**6])
def test_interval_must_be_a_positive_number_of_seconds(value: object) -> None:
    with pytest.raises(ClientValueError, match="interval="):
        watch_seconds("interval", value)


def test_lookback_may_be_zero() -> None:
    assert watch_seconds("lookback", 0, zero=True) == timedelta(0)
