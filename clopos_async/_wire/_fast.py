"""The generated fast path: one structure function and one encoder per model, made once.

Decoding is on the hot path of every list call (0.8x the time of pydantic v2 against
about 2x for tuned plain cattrs hooks, measured), so each model gets Python source that
checks exact types inline: no union dispatch, no per-field calls; and each key order seen
twice gets one more, reading values by position (``_layouts``). Any failure in them
raises, and ``_plans.decode`` hands the value to the diagnosing slow path.
"""

from __future__ import annotations

import functools
import itertools
import linecache
import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from clopos_async._wire._kinds import Field, Invalid, Kind
from clopos_async._wire._layouts import by_layout

#: The ``_absent`` of an object that came as PHP's ``[]``: its encoder writes ``[]`` back.
PHP_EMPTY_MARK: frozenset[str] = frozenset({"[]"})


def slot_setter(model: type, name: str) -> Callable[[Any, Any], None]:
    """The slot descriptor's setter: writes a frozen instance's slot without ``__init__``."""
    return model.__dict__[name].__set__  # type: ignore[no-any-return]


# --- fast path and encoder: generated once per model -------------------------------------------
# The fast decoder fills a "layout twin" (a plain class with the model's slots, whose
# attribute stores CPython specialises) and then hands the object its frozen class:
# about 7x cheaper than one object.__setattr__ per field. Where the swap is refused,
# slots are set through their descriptors instead.


_ABSENT = object()
_HELPER_NAME = re.compile(r"\b[A-Z]+\b")
_ABSENT_SETS_MAX = 4096


def _absent_set_maker(
    fields: Sequence[Field],
) -> tuple[dict[int, frozenset[str]], Callable[[int], frozenset[str]]]:
    """A cache of absent-key sets by bitmask (bit i = field i absent), and its filler.

    Real payloads show few patterns (list vs get, v1 vs v2 extras), so instances share
    one frozenset per pattern; the cache is bounded in case they do not.
    """
    cache: dict[int, frozenset[str]] = {}
    names = [field.name for field in fields]

    def make(mask: int) -> frozenset[str]:
        found = frozenset(name for i, name in enumerate(names) if mask >> i & 1)
        if len(cache) < _ABSENT_SETS_MAX:
            cache[mask] = found
        return found

    return cache, make


def _layout_twin(model: type) -> type | None:
    """A plain class with ``model``'s slots, or None if this Python will not swap classes."""
    slots = model.__dict__["__slots__"]
    twin = type(f"{model.__name__}Builder", (), {"__slots__": slots, "__module__": __name__})
    probe: Any = object.__new__(twin)
    try:
        probe.__class__ = model
    except TypeError:  # pragma: no cover - other layouts or implementations
        return None
    return twin


class _Emitter:
    """Writes one model's fast decoder: Python source plus the names it uses.

    Helpers are bound as default arguments, so the generated code reads them as fast
    locals; a helper shared by many fields (Decimal, fromisoformat) gets one name.
    """

    def __init__(self, model: type, fields: Sequence[Field], twin: type | None) -> None:
        self.model, self.fields, self.twin = model, fields, twin
        self.names: dict[str, Any] = {}
        self._by_identity: dict[int, str] = {}

    def bind(self, stem: str, value: Any) -> str:
        """The identifier for ``value`` in generated code, added on first use."""
        name = self._by_identity.get(id(value))
        if name is None:
            name = stem if stem not in self.names else f"{stem}{len(self.names)}"
            self.names[name] = value
            self._by_identity[id(value)] = name
        return name

    def store(self, name: str, value: str) -> str:
        if self.twin is not None:
            return f"o.{name} = {value}"
        setter = self.bind("SET", slot_setter(self.model, name))
        return f"{setter}(o, {value})"

    def source(self) -> str:
        self.bind("ABSENT", _ABSENT)
        self.bind("INVALID", Invalid)
        body = [*self._head(), *self._all_fields(), *self._tail()]
        arguments = ", ".join(f"{name}={name}" for name in self.names)
        return "\n".join([f"def fast(d, {arguments}):", *body]) + "\n"

    def layout_source(self, layout: tuple[Any, ...]) -> str | None:
        """A decoder for objects whose keys come exactly in ``layout``'s order.

        It is called as ``layout(d, *d.values())`` and takes the values by position, so a
        field the layout lacks costs one store of its default, not a lookup. Unknown keys
        are read from ``d`` itself: a key equal to the layout's but not the same object
        (``True`` for ``1``) stays as sent. None if a required field is missing: such
        objects are invalid and stay on the generic path.
        """
        position = {key: at for at, key in enumerate(layout)}
        if any(field.required and field.name not in position for field in self.fields):
            return None
        self.bind("ABSENT", _ABSENT)  # some kinds' tests name it
        self.bind("INVALID", Invalid)
        body = [f"    o = {self._allocate()}"]
        for index, field in enumerate(self.fields):
            at = position.get(field.name)
            if at is None:
                body.append(f"    {self.store(field.name, self._default(field))}")
            else:
                body.extend(self._field(index, field, f"a{at}", may_be_absent=False))
        absent = frozenset(field.name for field in self.fields if field.name not in position)
        body.append(f"    {self.store('_absent', self.bind('ABSENT_SET', absent))}")
        body.append(f"    {self.store('extra', self._layout_extra(layout))}")
        body.extend(self._finish())
        parameters = ["d", *(f"a{at}" for at in range(len(layout))), "*"]
        parameters += [f"{name}={name}" for name in self.names]
        return "\n".join([f"def layout({', '.join(parameters)}):", *body]) + "\n"

    def _layout_extra(self, layout: tuple[Any, ...]) -> str:
        known = frozenset(field.name for field in self.fields)
        if all(key in known for key in layout):
            return "{}"
        return f"{{k: x for k, x in d.items() if k not in {self.bind('KNOWN', known)}}}"

    def _allocate(self) -> str:
        if self.twin is not None:
            # The twin has no __init__, so calling it is the cheapest way to allocate.
            return f"{self.bind('BUILDER', self.twin)}()"
        return f"{self.bind('NEW', object.__new__)}({self.bind('MODEL', self.model)})"

    def _head(self) -> list[str]:
        return [
            "    if d.__class__ is not dict:",
            "        raise INVALID",
            "    g = d.get",
            "    ab = 0",
            f"    o = {self._allocate()}",
        ]

    def _all_fields(self) -> Iterator[str]:
        for index, field in enumerate(self.fields):
            yield from self._field(index, field, f"g({field.name!r}, ABSENT)", may_be_absent=True)

    def _field(self, index: int, field: Field, value: str, *, may_be_absent: bool) -> Iterator[str]:
        """Read ``value`` into ``v``, check or convert it, and store it on ``o``."""
        yield f"    v = {value}"
        branches = functools.partial(self._branches, index, field, may_be_absent=may_be_absent)
        exact = field.kind.exact
        if exact is None:
            yield "    c = v.__class__"
            yield from branches(conversions_first=True)
        else:
            # The common case costs one test: the value already has the model's type.
            yield f"    if v.__class__ is not {exact.__name__}:"
            if field.kind.fast:
                yield "        c = v.__class__"
            yield from self._indent(branches(conversions_first=False))
        yield f"    {self.store(field.name, 'v')}"

    @staticmethod
    def _indent(lines: Iterator[str]) -> Iterator[str]:
        return ("    " + line for line in lines)

    def _branches(
        self, index: int, field: Field, *, conversions_first: bool, may_be_absent: bool
    ) -> Iterator[str]:
        """An if/elif chain: the kind's conversions, null, absent; else a wrong type."""
        conversions = [
            (test, self._helpers(statement, field.kind)) for test, statement in field.kind.fast
        ]
        null = [("v is None", "pass" if field.nullable else "raise INVALID")]
        absent = [("v is ABSENT", self._absent(index, field))] if may_be_absent else []
        chain = conversions + null + absent if conversions_first else null + absent + conversions
        for position, (test, statement) in enumerate(chain):
            yield f"    {'if' if position == 0 else 'elif'} {test}:"
            yield f"        {statement}"
        yield "    else:"
        yield "        raise INVALID"

    def _absent(self, index: int, field: Field) -> str:
        if field.required:
            return "raise INVALID"
        return f"v = {self._default(field)}; ab |= {1 << index}"

    def _default(self, field: Field) -> str:
        # Immutable defaults are inlined; a factory (a mutable default) is called.
        default = field.default()
        if default is None or default == ():
            return repr(default)
        return f"{self.bind('DEFAULT', field.default)}()"

    def _helpers(self, statement: str, kind: Kind) -> str:
        renamed = {stem: self.bind(stem, value) for stem, value in kind.names.items()}
        return _HELPER_NAME.sub(lambda m: renamed.get(m.group(0), m.group(0)), statement)

    def _tail(self) -> list[str]:
        cache, make = _absent_set_maker(self.fields)
        known = self.bind("KNOWN", frozenset(field.name for field in self.fields))
        empty = self.bind("EMPTY", frozenset())
        lookup, maker = self.bind("ABSENT_SETS", cache), self.bind("ABSENT_SET", make)
        unknown = f"{{k: x for k, x in d.items() if k not in {known}}}"
        count = len(self.fields)
        # Unknown keys exist only if there are more keys than known ones present.
        with_absent = f"{unknown} if len(d) > {count} - len(absent) else {{}}"
        lines = [
            "    if ab:",
            f"        absent = {lookup}.get(ab) or {maker}(ab)",
            f"        {self.store('_absent', 'absent')}",
            f"        {self.store('extra', with_absent)}",
            "    else:",
            f"        {self.store('_absent', empty)}",
            f"        {self.store('extra', f'{unknown} if len(d) > {count} else {{}}')}",
        ]
        return [*lines, *self._finish()]

    def _finish(self) -> list[str]:
        if self.twin is None:
            return ["    return o"]
        return [f"    o.__class__ = {self.bind('MODEL', self.model)}", "    return o"]


def _dump_source(fields: Sequence[Field]) -> str:
    entries = []
    for index, field in enumerate(fields):
        value = f"o.{field.name}"
        if field.kind.dump is not None:
            value = f"None if {value} is None else DUMP{index}({value})"
        entries.append(f"        {field.name!r}: {value},")
    lines = [
        "def dump(o):",
        "    if o._absent is PHPMARK:",
        "        return []",
        "    out = {",
        *entries,
        "    }",
        "    for k in o._absent:",
        "        del out[k]",
        "    if o.extra:",
        "        out.update(o.extra)",
        "    return out",
    ]
    return "\n".join(lines) + "\n"


def _compile(source: str, namespace: dict[str, Any], filename: str, name: str) -> Any:
    # Registered with linecache so tracebacks through generated code show its lines.
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    exec(compile(source, filename, "exec"), namespace)
    return namespace[name]


def generate(
    model: type, fields: Sequence[Field]
) -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
    """The generated fast decoder and encoder of ``model``."""
    stem = f"<clopos_async generated {model.__name__}"
    twin = _layout_twin(model)
    emitter = _Emitter(model, fields, twin)
    generic = _compile(emitter.source(), emitter.names, f"{stem} structure>", "fast")

    numbers = itertools.count(1)

    def compile_layout(layout: tuple[Any, ...]) -> Callable[..., Any] | None:
        # A fresh emitter per layout, so its names are only the ones its code uses.
        layout_emitter = _Emitter(model, fields, twin)
        source = layout_emitter.layout_source(layout)
        if source is None:
            return None
        filename = f"{stem} structure, layout {next(numbers)}>"  # one linecache entry each
        return _compile(source, layout_emitter.names, filename, "layout")  # type: ignore[no-any-return]

    # A layout may hold a few unknown keys; one far larger is input no API sends.
    fast = by_layout(generic, compile_layout, max_keys=len(fields) + 16)
    dumpers: dict[str, Any] = {f"DUMP{i}": f.kind.dump for i, f in enumerate(fields) if f.kind.dump}
    dumpers["PHPMARK"] = PHP_EMPTY_MARK
    dump = _compile(_dump_source(fields), dumpers, f"{stem} unstructure>", "dump")
    return fast, dump
