"""Decoding the menu catalogue models: any JSON gives a model or a DecodeError, nothing else;
the sandbox's seeded rows round-trip unchanged (API §10.9, §10.11, §10.15, §10.17)."""

from __future__ import annotations

import contextlib
import copy
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clopos_async import (
    Category,
    DecodeError,
    Media,
    ModificatorGroup,
    Price,
    PriceList,
    Product,
    StopListEntry,
    converter,
)
from clopos_async._wire import decode, decode_list, fast_decoder, structure_slow
from clopos_async.testing._menu_data import (
    category_rows,
    price_list_rows,
    price_rows,
    product_rows,
    stop_list_rows,
)
from tests.test_decode_properties import json_values

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MODELS = [Product, Category, PriceList, Price, StopListEntry, Media, ModificatorGroup]

#: One valid wire row per model, from the sandbox's seed (relations included).
_PRODUCT = next(row for row in product_rows() if row["modificator_groups"])
_GOODS = next(row for row in product_rows() if row["modifications"])
_CATEGORY = {**category_rows()[0], "children": [{**category_rows()[1], "children": []}]}
SAMPLES: list[tuple[type, dict[str, Any]]] = [
    (Product, {**_PRODUCT, "category": category_rows()[3], "station": {"id": 2}}),
    (Product, _GOODS),
    (Category, _CATEGORY),
    (PriceList, {**price_list_rows()[0], "prices": price_rows()[:3]}),
    (Price, {**price_rows()[0], "product": _GOODS, "list": price_list_rows()[0]}),
    (StopListEntry, stop_list_rows()[0]),
]


def _decodes_or_refuses(model: type, value: Any) -> None:
    try:
        decoded: object = decode(model, value)
    except DecodeError:
        return
    assert isinstance(decoded, model)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
@SETTINGS
@given(value=json_values)
def test_arbitrary_json_gives_a_model_or_a_decode_error(model: type, value: Any) -> None:
    _decodes_or_refuses(model, value)
    with contextlib.suppress(DecodeError):
        decode_list(model, [value])


@pytest.mark.parametrize(("model", "row"), SAMPLES, ids=lambda v: getattr(v, "__name__", ""))
@SETTINGS
@given(data=st.data())
def test_any_value_in_any_field_gives_a_model_or_a_decode_error(
    model: type, row: dict[str, Any], data: st.DataObject
) -> None:
    mutated = copy.deepcopy(row)
    for key in data.draw(st.lists(st.sampled_from(sorted(row)), max_size=3)):
        mutated[key] = data.draw(json_values)
    _decodes_or_refuses(model, mutated)


@pytest.mark.parametrize(("model", "row"), SAMPLES, ids=lambda v: getattr(v, "__name__", ""))
def test_seeded_rows_round_trip_and_both_paths_agree(model: type, row: dict[str, Any]) -> None:
    decoded: object = decode(model, copy.deepcopy(row))
    assert converter.unstructure(decoded) == row
    assert structure_slow(model, copy.deepcopy(row), "data") == decoded
    assert fast_decoder(model)(copy.deepcopy(row)) == decoded
    assert converter.unstructure(decode(model, {**row, "later_field": [1]}))["later_field"] == [1]


def test_wrong_types_are_named_in_the_decode_error() -> None:
    with pytest.raises(DecodeError, match="modificator_groups"):
        decode(Product, {**_PRODUCT, "modificator_groups": [{"min_select": "one"}]})
    with pytest.raises(DecodeError, match="created_at"):
        decode(Product, {"id": 1, "created_at": "2025-06-01T10:00:00.000000Z"})  # not ISO here
    with pytest.raises(DecodeError, match="created_at"):
        decode(Category, {"id": 1, "created_at": "2025-06-01 10:00:00"})  # ISO …Z here
    with pytest.raises(DecodeError, match="children"):
        decode(Category, {"id": 1, "children": [{"id": "x"}]})
    with pytest.raises(DecodeError, match="timestamp"):
        decode(StopListEntry, {"id": 1, "limit": 0, "timestamp": "1767225600000"})
