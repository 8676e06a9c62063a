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


class _Layouts:
    """One model's layout decoders and the key orders waiting for their second sighting."""

    def __init__(
        self,
        generic: Callable[[Any], Any],
        compile_layout: Callable[[tuple[Any, ...]], Callable[..., Any] | None],
    ) -> None:
        self.generic, self.compile_layout = generic, compile_layout
        self.decoders: dict[tuple[Any, ...], Callable[..., Any]] = {}
        self.sightings: set[tuple[Any, ...]] = set()

    def refused(self, d: Any, *values: Any) -> Any:
        """The decoder of a layout that can never be valid: no second compile attempt."""
        return self.generic(d)

    def first_sightings(self, d: dict[Any, Any], layout: tuple[Any, ...]) -> Any:
        """Decode ``d`` (no decoder for ``layout`` yet), counting or compiling its layout."""
        if layout not in self.sightings:
            if len(self.sightings) >= MAX_SIGHTINGS:
                self.sightings.clear()  # one-off orders must not keep the next real one out
            self.sightings.add(layout)
            return self.generic(d)
        self.sightings.discard(layout)
        if len(self.decoders) >= MAX_LAYOUTS:
            return self.generic(d)
        decoder = self.decoders[layout] = self.compile_layout(layout) or self.refused
        return decoder(d, *d.values())


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
    table = _Layouts(generic, compile_layout)
    decoders, first_sightings = table.decoders, table.first_sightings  # fast locals

    def fast(d: Any) -> Any:
        if d.__class__ is not dict:
            raise Invalid
        if len(d) > max_keys:
            return generic(d)
        layout = tuple(d)
        decoder = decoders.get(layout)
        if decoder is not None:
            return decoder(d, *d.values())
        return first_sightings(d, layout)

    return fast
