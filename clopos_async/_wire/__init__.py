"""The converter: field kinds, timestamp formats, money, and the generated fast decoders.

Adding a model is declaring it (``clopos_async.models``): its plan is read from its
attrs fields and annotations on first use. ``_text`` holds the wire text forms,
``_kinds`` the field kinds, ``_fast`` the generated fast path, ``_plans`` the field
tables, slow path and entry points, ``_converter`` the public cattrs converter.
"""

from __future__ import annotations

from clopos_async._wire._converter import (
    converter,
    decode_closed_receipt,
    decode_receipt,
    decode_receipts,
    encode_payment_methods,
)
from clopos_async._wire._kinds import clear_caches
from clopos_async._wire._plans import (
    decode,
    decode_list,
    encode,
    fast_decoder,
    is_wire_model,
    structure_slow,
    structure_slow_list,
)
from clopos_async._wire._text import (
    WireDatetime,
    format_date,
    format_iso_utc,
    format_timestamp,
    money_to_wire,
    parse_date,
    parse_iso_utc,
    parse_timestamp,
)

__all__ = [
    "WireDatetime",
    "clear_caches",
    "converter",
    "decode",
    "decode_closed_receipt",
    "decode_list",
    "decode_receipt",
    "decode_receipts",
    "encode",
    "encode_payment_methods",
    "fast_decoder",
    "format_date",
    "format_iso_utc",
    "format_timestamp",
    "is_wire_model",
    "money_to_wire",
    "parse_date",
    "parse_iso_utc",
    "parse_timestamp",
    "structure_slow",
    "structure_slow_list",
]
