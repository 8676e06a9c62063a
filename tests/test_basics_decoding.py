"""hypothesis: arbitrary JSON into the issue-12 models gives a model or a DecodeError only."""

from __future__ import annotations

from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clopos_async import (
    DecodeError,
    PaymentMethodInfo,
    SaleType,
    StockOperation,
    User,
    Venue,
    converter,
)

MODELS = (Venue, User, SaleType, PaymentMethodInfo, StockOperation)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8)
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=10,
)


def shaped(model: type) -> st.SearchStrategy[dict[str, Any]]:
    """Dicts whose keys are mostly the model's own fields, holding any JSON at all."""
    names = sorted(f.name for f in attrs.fields(model) if not f.name.startswith("_"))
    keys = st.sampled_from(names) | st.text(max_size=6)
    return st.dictionaries(keys, json_values, max_size=8).map(lambda d: {"id": 1, **d})


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
@SETTINGS
@given(value=json_values)
def test_arbitrary_json_gives_a_model_or_a_decode_error(model: type, value: Any) -> None:
    try:
        result: Any = converter.structure(value, model)
    except DecodeError:
        return
    assert type(result) is model


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
@SETTINGS
@given(data=st.data())
def test_model_shaped_json_decodes_losslessly_or_fails_as_decode_error(
    model: type, data: st.DataObject
) -> None:
    value = data.draw(shaped(model))
    try:
        result: Any = converter.structure(value, model)
    except DecodeError:
        return
    assert type(result) is model
    assert converter.structure(converter.unstructure(result), model) == result
