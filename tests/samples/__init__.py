"""Sample Clopos payloads built from the documented field tables (API §5, §9.12, §10).

Each ``*.json`` file here is a whole response envelope; ``data(name)`` returns its
``data``. Together they cover: a list page, a receipt with line items and
modificators, close responses at both money scales (8140 and 8.14), nulls,
undocumented keys at every level, and an unknown status 3 / order_status "ON_HOLD".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

HERE = Path(__file__).parent

#: Samples whose ``data`` is one receipt object.
RECEIPT_SAMPLES = ("receipt_with_products", "receipt_minimal")
#: Samples whose ``data`` is an array of receipts.
RECEIPT_LIST_SAMPLES = ("receipt_list_page",)
#: Samples whose ``data`` is a close result (API §9.12).
CLOSE_SAMPLES = ("close_response", "close_response_fractional")


def raw(name: str) -> bytes:
    """The bytes of sample ``name`` (without ``.json``), as the API would send them."""
    return (HERE / f"{name}.json").read_bytes()


def envelope(name: str) -> Any:
    """The parsed envelope of sample ``name``."""
    return orjson.loads(raw(name))


def data(name: str) -> Any:
    """The ``data`` of sample ``name``, freshly parsed (safe to mutate)."""
    return envelope(name)["data"]


def receipt_dicts() -> list[dict[str, Any]]:
    """Every receipt object in the samples, list items included."""
    found = [data(name) for name in RECEIPT_SAMPLES]
    for name in RECEIPT_LIST_SAMPLES:
        found.extend(data(name))
    return found
