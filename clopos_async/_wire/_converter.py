"""The public converter and the receipt entry points built on the plans.

``clopos_async.converter`` is a cattrs converter: ``converter.structure(d, Receipt)``
decodes any declared wire model, ``converter.unstructure(x)`` gives the exact wire
shape back; ``Page[T]`` is handled like a wire object.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar, get_args, get_origin

import cattrs

from clopos_async._wire._kinds import fail, slow_int, slow_str
from clopos_async._wire._plans import decode, decode_list, encode, is_wire_model
from clopos_async._wire._text import money_to_wire
from clopos_async.models import ClosedReceipt, Page, PaymentMethod, Receipt

M = TypeVar("M")


def decode_receipt(obj: Any, *, path: str = "data") -> Receipt:
    """The ``data`` of ``GET /receipts/{id}`` as a Receipt (API §9.12, §10.1)."""
    return decode(Receipt, obj, path)


def decode_receipts(obj: Any, *, path: str = "data") -> list[Receipt]:
    """The ``data`` array of ``GET /receipts`` as Receipts, in order."""
    return decode_list(Receipt, obj, path)


def decode_closed_receipt(obj: Any, *, path: str = "data") -> ClosedReceipt:
    """The ``data`` of ``POST /receipts/{id}/close``: id, closed_at, payment_methods."""
    return decode(ClosedReceipt, obj, path)


def encode_payment_methods(methods: Sequence[PaymentMethod]) -> list[dict[str, Any]]:
    """The ``payment_methods`` of a close body: ``{id, name, amount}`` each (API §9.12)."""
    return [
        {"id": method.id, "name": method.name, "amount": money_to_wire(method.amount)}
        for method in methods
    ]


# --- Page: not a wire object, but the converter handles it like one ----------------------------


def _is_page(cls: Any) -> bool:
    return cls is Page or get_origin(cls) is Page


def _page_hook(page_type: Any) -> Callable[[Any, Any], Page[Any]]:
    (item,) = get_args(page_type) or (Any,)
    if not is_wire_model(item):
        raise TypeError(f"Page items must be a wire model, got {item!r}")

    def structure_page(data: Any, _: Any) -> Page[Any]:
        if not isinstance(data, Mapping):
            raise fail("an object", data, "")
        return Page(
            items=tuple(decode_list(item, data.get("items"), "items")),
            total=slow_int(data.get("total"), "total"),
            page=slow_int(data.get("page"), "page"),
            limit=slow_int(data.get("limit"), "limit"),
            sorts=_slow_strings(data.get("sorts", []), "sorts"),
        )

    return structure_page


def _slow_strings(value: Any, path: str) -> tuple[str, ...]:
    if not isinstance(value, (list, tuple)):
        raise fail("an array", value, path)
    return tuple(slow_str(item, f"{path}[{i}]") for i, item in enumerate(value))


def _unstructure_page(page: Page[Any]) -> dict[str, Any]:
    return {
        "items": [converter.unstructure(item) for item in page.items],
        "total": page.total,
        "page": page.page,
        "limit": page.limit,
        "sorts": list(page.sorts),
    }


def _make_converter() -> cattrs.Converter:
    made = cattrs.Converter(detailed_validation=False)
    # Any declared wire model, found by predicate: no registry to keep in order.
    made.register_structure_hook_func(is_wire_model, _structure_model)
    made.register_unstructure_hook_func(is_wire_model, encode)
    made.register_structure_hook_factory(_is_page, _page_hook)
    made.register_unstructure_hook_func(_is_page, _unstructure_page)
    return made


def _structure_model(data: Any, model: type[M]) -> M:
    return decode(model, data, "")


#: The configured cattrs converter: ``converter.structure(d, Receipt)`` decodes a wire
#: dict, ``converter.unstructure(receipt)`` gives the exact wire dict back.
converter = _make_converter()
