"""Decoders by key order (``_wire/_layouts.py``): the same answer as the generic path, bounded.

The dispatch is tested directly with recording stand-ins; the generated layout decoders
are tested on real models, each object decoded three times (generic path, compile, the
layout's own decoder), against the slow path and the exact wire shape.
"""

from __future__ import annotations

import contextlib
import copy
import random
import sys
from collections.abc import Callable, Iterator
from types import FrameType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from clopos_async import converter
from clopos_async._wire import structure_slow
from clopos_async._wire._fast import generate
from clopos_async._wire._kinds import Invalid
from clopos_async._wire._layouts import MAX_LAYOUTS, MAX_SIGHTINGS, by_layout
from clopos_async._wire._plans import plan_for
from clopos_async.models import Media, Receipt
from tests.test_catalog_decode import SAMPLES
from tests.test_decode_properties import receipt_shaped, valid_receipts

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --- the dispatch, with stand-ins ----------------------------------------------------------------


class Recorder:
    """A generic decoder and a layout compiler that record what they were asked."""

    def __init__(self, refuse: frozenset[str] = frozenset()) -> None:
        self.generic_calls: list[tuple[Any, ...]] = []
        self.compiled: list[tuple[Any, ...]] = []
        self.refuse = refuse  # layouts holding one of these keys get no decoder

    def generic(self, d: Any) -> Any:
        self.generic_calls.append(tuple(d))
        return ("generic", dict(d))

    def compile_layout(self, layout: tuple[Any, ...]) -> Callable[..., Any] | None:
        self.compiled.append(layout)
        if self.refuse & set(layout):
            return None
        return lambda d, *values: ("layout", dict(zip(layout, values, strict=True)))


def test_a_layout_gets_its_decoder_on_its_second_sighting_and_keeps_it() -> None:
    recorder = Recorder()
    fast = by_layout(recorder.generic, recorder.compile_layout, max_keys=8)

    answers = [fast({"a": i, "b": 2}) for i in range(4)]

    assert [kind for kind, _ in answers] == ["generic", "layout", "layout", "layout"]
    assert [values for _, values in answers] == [{"a": i, "b": 2} for i in range(4)]
    assert recorder.compiled == [("a", "b")]
    assert len(recorder.generic_calls) == 1


def test_another_key_order_is_another_layout() -> None:
    recorder = Recorder()
    fast = by_layout(recorder.generic, recorder.compile_layout, max_keys=8)

    for _ in range(3):
        fast({"a": 1, "b": 2})
        fast({"b": 2, "a": 1})

    assert recorder.compiled == [("a", "b"), ("b", "a")]


def test_a_layout_that_can_never_be_valid_stays_on_the_generic_path() -> None:
    recorder = Recorder(refuse=frozenset({"bad"}))
    fast = by_layout(recorder.generic, recorder.compile_layout, max_keys=8)

    answers = [fast({"bad": i}) for i in range(3)]

    assert [kind for kind, _ in answers] == ["generic"] * 3


def test_layouts_and_sightings_are_bounded() -> None:
    recorder = Recorder()
    fast = by_layout(recorder.generic, recorder.compile_layout, max_keys=8)

    for n in range(MAX_LAYOUTS + 10):  # each seen twice: only MAX_LAYOUTS get a decoder
        fast({f"k{n}": 1})
        fast({f"k{n}": 1})
    for n in range(MAX_SIGHTINGS + 10):  # seen once each, then again: nothing more compiled
        fast({f"once{n}": 1})
    for n in range(MAX_SIGHTINGS + 10):
        fast({f"once{n}": 1})

    assert len(recorder.compiled) == MAX_LAYOUTS


def test_a_full_sightings_table_is_forgotten_so_a_later_layout_still_gets_its_decoder() -> None:
    recorder = Recorder()
    fast = by_layout(recorder.generic, recorder.compile_layout, max_keys=8)

    for n in range(MAX_SIGHTINGS):  # one-off orders fill the table
        fast({f"once{n}": 1})
    fast({"late": 1})  # the table is full: it is cleared, and this one counted
    fast({"once0": 1})  # forgotten: a first sighting again
    answers = [fast({"late": 1}), fast({"once0": 1})]

    assert recorder.compiled == [("late",), ("once0",)]
    assert [kind for kind, _ in answers] == ["layout", "layout"]


def test_an_object_with_far_more_keys_than_fields_never_gets_a_layout() -> None:
    recorder = Recorder()
    fast = by_layout(recorder.generic, recorder.compile_layout, max_keys=8)
    huge = {f"k{n}": n for n in range(9)}

    answers = [fast(huge) for _ in range(3)]

    assert [kind for kind, _ in answers] == ["generic"] * 3
    assert recorder.compiled == []


def test_a_layout_that_can_never_be_valid_is_compiled_once() -> None:
    recorder = Recorder(refuse=frozenset({"bad"}))
    fast = by_layout(recorder.generic, recorder.compile_layout, max_keys=8)

    for _ in range(5):
        fast({"bad": 1})

    assert recorder.compiled == [("bad",)]
    assert len(recorder.generic_calls) == 5


@pytest.mark.parametrize("value", [[], "x", None, 3, [("a", 1)]])
def test_a_value_that_is_not_a_dict_is_invalid(value: Any) -> None:
    recorder = Recorder()
    fast = by_layout(recorder.generic, recorder.compile_layout, max_keys=8)

    with pytest.raises(Invalid):
        fast(value)
    assert recorder.generic_calls == []


# --- generated layout decoders on real models ----------------------------------------------------


def fresh_decoder(model: type) -> Callable[[Any], Any]:
    """A new fast decoder of ``model`` with no layouts yet (the shared one may be full)."""
    return generate(model, plan_for(model).fields)[0]


def three_decodes(model: type, wire: Any) -> list[tuple[str, Any]]:
    """The outcome of decoding ``wire`` three times on one fresh decoder.

    A third decode that succeeds must have run generated layout code (its filename says
    so), or these tests would pass on the generic path alone.
    """
    fast = fresh_decoder(model)
    outcomes: list[tuple[str, Any]] = []
    for attempt in range(3):
        called: set[str] = set()
        try:
            with profiled(called):
                outcomes.append(("ok", fast(copy.deepcopy(wire))))
        except Exception as error:  # the fast path may raise anything; decode() falls back
            outcomes.append(("failed", type(error)))
        else:
            if attempt == 2 and len(wire) <= len(plan_for(model).fields) + 16:
                assert any("layout" in name for name in called), called
    return outcomes


@contextlib.contextmanager
def profiled(filenames: set[str]) -> Iterator[None]:
    """Record the code filename of every Python function called inside the block."""

    def record(frame: FrameType, event: str, arg: Any) -> None:
        if event == "call":
            filenames.add(frame.f_code.co_filename)

    sys.setprofile(record)
    try:
        yield
    finally:
        sys.setprofile(None)


def assert_same_model(first: Any, second: Any) -> None:
    assert first == second
    assert first.extra == second.extra
    assert [type(key) for key in first.extra] == [type(key) for key in second.extra]
    assert first.extra is not second.extra or not first.extra
    assert first._absent == second._absent
    assert list(converter.unstructure(first).items()) == list(
        converter.unstructure(second).items()
    )


def assert_agreeing(model: type, wire: Any) -> None:
    """All three fast decodes agree; where they succeed, they equal the slow path."""
    outcomes = three_decodes(model, wire)
    status = {kind for kind, _ in outcomes}
    assert len(status) == 1, outcomes
    if status == {"ok"}:
        slow: Any = structure_slow(model, copy.deepcopy(wire), "data")
        for _, result in outcomes:
            assert_same_model(result, slow)


@SETTINGS
@given(valid_receipts)
def test_valid_receipts_decode_the_same_on_their_layout(wire: dict[str, Any]) -> None:
    assert_agreeing(Receipt, wire)
    assert converter.unstructure(three_decodes(Receipt, wire)[2][1]) == wire


@SETTINGS
@given(receipt_shaped)
def test_any_values_in_receipt_fields_decode_the_same_on_their_layout(wire: Any) -> None:
    assert_agreeing(Receipt, wire)


def test_an_unknown_key_equal_to_the_layouts_but_of_another_type_stays_as_sent() -> None:
    fast = fresh_decoder(Media)
    for _ in range(3):
        fast({1: "x"})

    decoded = fast({True: "x"})  # equal to the (1,) layout, whose decoder is reused

    assert [type(key) for key in decoded.extra] == [bool]
    assert_same_model(decoded, structure_slow(Media, {True: "x"}, "data"))


@pytest.mark.parametrize(("model", "wire"), SAMPLES, ids=[m.__name__ for m, _ in SAMPLES])
@pytest.mark.parametrize("seed", range(5))
def test_catalogue_rows_decode_the_same_in_any_key_order(
    model: type, wire: dict[str, Any], seed: int
) -> None:
    keys = list(wire)
    random.Random(seed).shuffle(keys)
    shuffled = {key: wire[key] for key in keys}
    sparse = {key: shuffled[key] for key in keys[: len(keys) // 2]}

    for variant in (wire, shuffled, sparse, {**shuffled, "unknown_key": [1, {"x": None}]}):
        assert_agreeing(model, variant)
