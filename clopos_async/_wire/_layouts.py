"""Dispatch of a model's fast decoder by key order: a decoder per layout seen twice.

The API sends each shape of an object with the same keys in the same order (a list
item, a get, a product variant against a dish), so after its second sighting a key
order gets a decoder generated for it (``_fast.Emitter.layout_source``). That decoder
takes the values by position from ``d.values()`` and knows in advance which fields are
absent and which keys are unknown: a sparse product variant (14 of 47 fields) no longer
pays a ``dict.get`` for each field it lacks. Other orders take the generic decoder.
Both are bounded per model, so arbitrary input cannot grow them without limit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from clopos_async._wire._kinds import Invalid

#: Layouts given a decoder of their own, per model; real payloads show a handful.
MAX_LAYOUTS = 32
#: Key orders counted while waiting for their second sighting, per model.
MAX_SIGHTINGS = 256


def by_layout(
    generic: Callable[[Any], Any],
    compile_layout: Callable[[tuple[Any, ...]], Callable[..., Any] | None],
) -> Callable[[Any], Any]:
    """A decoder that hands each object to its layout's decoder, else to ``generic``.

    Args:
        generic: decodes any object (looks every field up by name).
        compile_layout: makes the decoder of one key order, or None when objects of
            that order can never be valid (a required field is missing).

    Returns:
        The decoder; like ``generic``, it raises (``Invalid`` or anything) on bad input.
    """
    layouts: dict[tuple[Any, ...], Callable[..., Any]] = {}
    sightings: dict[tuple[Any, ...], int] = {}

    def first_sightings(d: dict[Any, Any], layout: tuple[Any, ...]) -> Any:
        seen = sightings.get(layout, 0)
        if seen and len(layouts) < MAX_LAYOUTS:
            decoder = compile_layout(layout)
            if decoder is not None:
                layouts[layout] = decoder
                del sightings[layout]
                return decoder(*d.values())
        elif not seen and len(sightings) < MAX_SIGHTINGS:
            sightings[layout] = 1
        return generic(d)

    def fast(d: Any) -> Any:
        if d.__class__ is not dict:
            raise Invalid
        layout = tuple(d)
        decoder = layouts.get(layout)
        if decoder is not None:
            return decoder(*d.values())
        return first_sightings(d, layout)

    return fast
