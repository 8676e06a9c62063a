"""SeenIds behaves exactly like a set of the keys added, across merges."""

from __future__ import annotations

from collections.abc import Hashable

from hypothesis import given
from hypothesis import strategies as st

from clopos_async._seen import SeenIds

KEYS = st.one_of(
    st.integers(min_value=-(2**64), max_value=2**64),
    st.integers(min_value=-300, max_value=9000),  # dense: blocks turn into bitmaps
    st.text(max_size=3),
    st.tuples(st.integers(0, 5), st.integers(0, 5)),
)


@given(st.lists(KEYS, max_size=300))
def test_matches_a_set(keys: list[Hashable]) -> None:
    seen = SeenIds()
    reference: set[Hashable] = set()
    for key in keys:
        assert seen.add(key) is (key not in reference)
        reference.add(key)
    assert len(seen) == len(reference)


def test_ten_thousand_ids_in_shuffled_order() -> None:
    seen = SeenIds()
    ids = [(i * 7919) % 10_007 for i in range(10_007)]
    assert all(seen.add(i) for i in ids)
    assert not any(seen.add(i) for i in ids)
    assert len(seen) == 10_007


def test_bool_is_not_treated_as_an_int_id() -> None:
    seen = SeenIds()
    assert seen.add(1)
    assert seen.add(True) is False  # True == 1 as a set member, as in a plain set
