"""Dispatch of a model's fast decoder by key order: a decoder per layout seen twice.

The API sends each shape of an object with the same keys in the same order (a list
item, a get, a product variant against a dish), so after its second sighting a key
order gets a decoder generated for it (``_fast._Emitter.layout_source``). That decoder
takes the values by position from ``d.values()`` and knows in advance which fields are
absent: a sparse product variant (14 of 47 fields) no longer pays a ``dict.get`` for
each field it lacks. Other orders take the generic decoder. The tables are bounded per
model in count and in key count, so arbitrary input can neither grow them nor make the
event loop wait on compiling a decoder for a huge object.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from clopos_async._wire._kinds import Invalid

#: Layouts given a decoder of their own, per model; real payloads show a handful.
MAX_LAYOUTS = 32
#: Key orders counted while waiting for their second sighting, per model (then forgotten).
MAX_SIGHTINGS = 256


def by_layout(
    generic: Callable[[Any], Any],
    compile_layout: Callable[[tuple[Any, ...]], Callable[..., Any] | None],
    *,
    max_keys: int,
) -> Callable[[Any], Any]:
    """A decoder that hands each object to its layout's decoder, else to ``generic``.

    Args:
        generic: decodes any object (looks every field up by name).
        compile_layout: makes the decoder of one key order, called as
            ``decoder(d, *d.values())``, or None when objects of that order can never be
            valid (a required field is missing).
        max_keys: objects with more keys always take ``generic``.

    Returns:
        The decoder; like ``generic``, it raises (``Invalid`` or anything) on bad input.
    """
    layouts: dict[tuple[Any, ...], Callable[..., Any]] = {}
    sightings: set[tuple[Any, ...]] = set()

    def refused(d: Any, *values: Any) -> Any:
        return generic(d)  # a layout that can never be valid: no second compile attempt

    def first_sightings(d: dict[Any, Any], layout: tuple[Any, ...]) -> Any:
        if layout not in sightings:
            if len(sightings) >= MAX_SIGHTINGS:
                sightings.clear()  # one-off orders must not keep the next real one out
            sightings.add(layout)
            return generic(d)
        sightings.discard(layout)
        if len(layouts) >= MAX_LAYOUTS:
            return generic(d)
        decoder = layouts[layout] = compile_layout(layout) or refused
        return decoder(d, *d.values())

    def fast(d: Any) -> Any:
        if d.__class__ is not dict:
            raise Invalid
        if len(d) > max_keys:
            return generic(d)
        layout = tuple(d)
        decoder = layouts.get(layout)
        if decoder is not None:
            return decoder(d, *d.values())
        return first_sightings(d, layout)

    return fast
