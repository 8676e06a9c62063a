"""The wire layer on the field kinds of the whole API (API §10, §11), on sample payloads.

Every kind decodes to its Python type, both decode paths agree, bad values are named
in a DecodeError, and decode -> encode gives back exactly the payload that came in.
"""

from __future__ import annotations

import copy
import pickle
from collections.abc import Mapping
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import attrs
import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clopos_async import Station, converter
from clopos_async._errors import ClientValueError, DecodeError
from clopos_async._wire import (
    WireDatetime,
    clear_caches,
    decode,
    decode_list,
    encode,
    fast_decoder,
    format_iso_utc,
    parse_iso_utc,
    structure_slow,
)
from clopos_async._wire._kinds import _ISO_MEMO
from clopos_async._wire._kinds import _MONEY_MEMO_MAX as _MEMO_MAX
from clopos_async.models import EpochMillis, IsoDatetime, VenueMap


@attrs.frozen(kw_only=True, slots=True, weakref_slot=False)
class Media:
    uuid: str | None = None
    size: int | None = None
    extra: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    _absent: frozenset[str] = attrs.field(factory=frozenset, init=False, repr=False)


@attrs.frozen(kw_only=True, slots=True, weakref_slot=False)
class Node:
    """A model with every field kind the API uses; ``children`` makes it recursive."""

    id: int | str
    name: str | None = None
    hidden: bool | None = None
    status: bool | int | None = None
    rate: float | None = None
    price: Decimal | None = None
    created_at: IsoDatetime | None = None
    operated_at: datetime | None = None
    date_of_birth: date | None = None
    timestamp: EpochMillis | None = None
    venues: VenueMap | None = attrs.field(default=None, hash=False)
    phones: tuple[str, ...] | None = None
    ids: tuple[int, ...] | None = None
    media: tuple[Media, ...] | None = None
    cover: Media | None = None
    children: tuple[Node, ...] | None = None
    setting: Any = attrs.field(default=None, hash=False)
    extra: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    _absent: frozenset[str] = attrs.field(factory=frozenset, init=False, repr=False)


SAMPLE: dict[str, Any] = {
    "id": 7,
    "name": "Grill",
    "hidden": False,
    "status": 1,
    "rate": 12.5,
    "price": 8.14,
    "created_at": "2026-02-02T13:45:53.000000Z",
    "operated_at": "2026-01-19 14:51:33",
    "date_of_birth": "1990-05-17",
    "timestamp": 1768834293000,
    "venues": {"1": 1, "2": 0},
    "phones": ["+994501234567", "+994551234567"],
    "ids": [1, 332],
    "media": [{"uuid": "a1", "size": 2048, "mime_type": "image/png"}],
    "cover": [],  # PHP's empty object
    "children": [
        {"id": "kitchen", "created_at": "2026-02-02T13:45:53Z", "children": []},
        {"id": 9, "hidden": True, "status": True, "rate": 3, "setting": {"interval": 5}},
    ],
    "setting": None,
    "unknown_key": {"kept": [1, 2]},
}


def test_every_kind_decodes_to_its_python_type() -> None:
    node = decode(Node, copy.deepcopy(SAMPLE))
    assert node.id == 7
    assert node.hidden is False
    assert node.status == 1
    assert node.rate == 12.5
    assert node.price == Decimal("8.14")
    assert node.created_at == datetime(2026, 2, 2, 13, 45, 53, tzinfo=timezone.utc)
    assert node.operated_at == datetime(2026, 1, 19, 14, 51, 33)
    assert node.operated_at.tzinfo is None
    assert node.date_of_birth == date(1990, 5, 17)
    assert node.timestamp == 1768834293000
    assert node.venues == {"1": 1, "2": 0}
    assert node.phones == ("+994501234567", "+994551234567")
    assert node.ids == (1, 332)
    assert node.media == (Media(uuid="a1", size=2048, extra={"mime_type": "image/png"}),)
    assert node.cover is not None
    assert node.cover.uuid is None
    assert converter.unstructure(node.cover) == []
    assert node.children is not None
    kitchen, nine = node.children
    assert kitchen.id == "kitchen"
    assert kitchen.children == ()
    assert nine.rate == 3
    assert type(nine.rate) is int
    assert nine.setting == {"interval": 5}
    assert node.extra == {"unknown_key": {"kept": [1, 2]}}


def test_round_trip_is_lossless_on_both_paths() -> None:
    fast = fast_decoder(Node)(copy.deepcopy(SAMPLE))
    slow = structure_slow(Node, copy.deepcopy(SAMPLE), "data")
    assert fast == slow
    for node in (fast, slow):
        assert orjson.dumps(encode(node)) == orjson.dumps(SAMPLE)
        assert converter.unstructure(node) == SAMPLE


def test_converter_structures_a_model_it_never_saw_registered() -> None:
    media = converter.structure({"uuid": "x"}, Media)
    assert (media.uuid, media.size) == ("x", None)
    assert converter.unstructure(media) == {"uuid": "x"}  # absent stays absent


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("id", True, "an integer"),
        ("hidden", 1, "a boolean"),
        ("status", "1", "a boolean"),
        ("rate", "1.5", "a number"),
        ("created_at", "2026-02-02 13:45:53", "an ISO 8601 UTC timestamp"),
        ("created_at", "2026-02-02T13:45:53+04:00", "an ISO 8601 UTC timestamp"),
        ("created_at", "2026-02-02T13:45:53", "an ISO 8601 UTC timestamp"),
        ("operated_at", "2026-02-02T13:45:53Z", "'YYYY-MM-DD HH:mm:ss'"),
        ("date_of_birth", "1990-02-30", "'YYYY-MM-DD'"),
        ("timestamp", 1.5, "an integer"),
        ("venues", {"1": "on"}, "an integer"),
        ("phones", ["+99450", 5], "a string"),
        ("ids", [1, None], "got null"),
        ("children", [{"name": "no id"}], "required field is missing"),
    ],
)
def test_a_bad_value_is_named(field: str, value: object, expected: str) -> None:
    payload = {**SAMPLE, field: value}
    with pytest.raises(DecodeError) as caught:
        decode(Node, payload)
    assert expected in str(caught.value)
    assert field in str(caught.value)


def test_list_paths_name_the_item() -> None:
    with pytest.raises(DecodeError, match=r"data\[1\]\.children\[0\]\.id"):
        decode_list(Node, [SAMPLE, {**SAMPLE, "children": [{"id": None}]}])


@settings(max_examples=200, deadline=None)
@given(
    moment=st.datetimes(min_value=datetime(1970, 1, 2), max_value=datetime(9998, 1, 1)),
    digits=st.sampled_from([0, 3, 6]),
    suffix=st.sampled_from(["Z", "+00:00"]),
)
def test_iso_instants_keep_their_own_text(moment: datetime, digits: int, suffix: str) -> None:
    fraction = "" if digits == 0 else "." + f"{moment.microsecond:06d}"[:digits]
    text = moment.strftime("%Y-%m-%dT%H:%M:%S") + fraction + suffix
    parsed = parse_iso_utc(text)
    assert parsed.utcoffset() == timedelta(0)
    assert format_iso_utc(parsed) == text
    assert format_iso_utc(copy.deepcopy(parsed)) == text
    assert format_iso_utc(pickle.loads(pickle.dumps(parsed))) == text


def test_new_iso_values_encode_in_the_api_form() -> None:
    plain = datetime(2026, 2, 2, 17, 45, 53, tzinfo=timezone(timedelta(hours=4)))
    assert format_iso_utc(plain) == "2026-02-02T13:45:53.000000Z"
    decoded = parse_iso_utc("2026-02-02T13:45:53Z")
    assert isinstance(decoded, WireDatetime)
    assert format_iso_utc(decoded.replace(second=54)) == "2026-02-02T13:45:54.000000Z"
    with pytest.raises(ClientValueError, match="an aware datetime is required"):
        format_iso_utc(datetime(2026, 2, 2))


def test_repeated_iso_texts_share_one_value_and_keep_their_own_form() -> None:
    # Included relations repeat one category's timestamps on every product (API §9.8):
    # the fast path parses each text once. Same instant, other text: its own value.
    clear_caches()
    rows = [
        {"id": 1, "created_at": "2026-02-02T13:45:53.000000Z"},
        {"id": 2, "created_at": "2026-02-02T13:45:53.000000Z"},
        {"id": 3, "created_at": "2026-02-02T13:45:53Z"},
    ]
    first, second, third = decode_list(Node, copy.deepcopy(rows))
    assert first.created_at is second.created_at
    assert third.created_at == first.created_at
    assert third.created_at is not first.created_at
    assert [converter.unstructure(node) for node in (first, second, third)] == rows
    clear_caches()
    again = decode(Node, copy.deepcopy(rows[0]))
    assert again.created_at == first.created_at
    assert again.created_at is not first.created_at


def test_the_iso_memo_is_bounded() -> None:
    clear_caches()
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    rows = [
        {"id": n, "created_at": (start + timedelta(seconds=n)).strftime("%Y-%m-%dT%H:%M:%SZ")}
        for n in range(_MEMO_MAX + 10)
    ]
    decoded = decode_list(Node, copy.deepcopy(rows))
    assert len(_ISO_MEMO) <= _MEMO_MAX
    assert [converter.unstructure(node) for node in decoded] == rows


def test_a_zero_offset_other_than_z_is_utc_on_both_paths() -> None:
    for text in ("2026-02-02T13:45:53+00:00", "2026-02-02T13:45:53-00:00"):
        clear_caches()
        fast = decode(Node, {"id": 1, "created_at": text})
        slow = structure_slow(Node, {"id": 1, "created_at": text}, "")
        assert fast == slow
        assert fast.created_at is not None
        assert fast.created_at.utcoffset() == timedelta(0)
        assert converter.unstructure(fast) == {"id": 1, "created_at": text}


def test_stations_decode_in_both_documented_shapes() -> None:
    # API §10.10 current shape, and the older one (API §15 item 16).
    current = {"id": 3, "name": "Kitchen", "status": 1, "type": 1, "printable": 1,
               "created_at": "2026-01-19T10:00:00.000000Z", "updated_at": None}  # fmt: skip
    older = {"id": "kitchen", "name": "Kitchen", "can_print": True,
             "reminder_enabled": False, "description": ""}  # fmt: skip
    for wire in (current, older):
        station = converter.structure(copy.deepcopy(wire), Station)
        assert converter.unstructure(station) == wire
    assert converter.structure(older, Station).id == "kitchen"


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=False)
    | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=8,
)
FIELD_VALUES = st.sampled_from(
    ["2026-02-02T13:45:53Z", "2026-02-02T13:45:53.000000Z", "2026-01-19 14:51:33",
     "1990-05-17", {"1": 1}, ["a"], [1], [], 8.14, 8140, True, 0, "kitchen"]
) | JSON  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(changes=st.dictionaries(st.sampled_from(sorted(SAMPLE)), FIELD_VALUES, max_size=4))
def test_both_paths_agree_on_any_value_and_what_decodes_round_trips(
    changes: dict[str, Any],
) -> None:
    payload = {**SAMPLE, **changes}
    try:
        fast: Node | DecodeError = fast_decoder(Node)(copy.deepcopy(payload))
    except Exception:  # the fast path only says "not me"; the slow path explains
        fast = DecodeError("fast path refused")
    try:
        slow: Node | DecodeError = structure_slow(Node, copy.deepcopy(payload), "data")
    except DecodeError as error:
        slow = error
    if isinstance(slow, Node):
        if isinstance(fast, Node):
            assert fast == slow
        assert orjson.dumps(converter.unstructure(slow)) == orjson.dumps(payload)  # 1 != true
    else:
        assert isinstance(fast, DecodeError)
        with pytest.raises(DecodeError):
            decode(Node, payload)
