"""PHP backends send an empty object as ``[]``: it decodes, and encodes back as ``[]``."""

from __future__ import annotations

import orjson
import pytest

from clopos_async import DecodeError, converter
from clopos_async._wire import decode_receipt, decode_receipts


def receipt(**fields: object) -> dict[str, object]:
    return {"id": 1, "total": 8140, "created_at": "2025-08-12 10:00:00", **fields}


@pytest.mark.parametrize("key", ["meta", "properties"])
def test_empty_list_for_an_object_field_round_trips(key: str) -> None:
    wire = receipt(**{key: []})
    decoded = decode_receipt(wire)
    assert orjson.loads(orjson.dumps(converter.unstructure(decoded))) == wire


def test_nested_empty_list_round_trips_on_the_fast_path() -> None:
    wire = [receipt(meta={"sale_type": [], "user": {"name": "Ann"}}), receipt(id=2, meta=[])]
    decoded = decode_receipts(wire)
    assert [converter.unstructure(r) for r in decoded] == wire


def test_empty_object_still_encodes_as_an_object() -> None:
    wire = receipt(meta={})
    assert converter.unstructure(decode_receipt(wire)) == wire


def test_a_non_empty_list_is_still_an_error() -> None:
    with pytest.raises(DecodeError) as info:
        decode_receipt(receipt(meta=[1]))
    assert info.value.path == "data.meta"
