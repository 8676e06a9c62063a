"""Plans: each model's field table, read from its declaration, and its decoders.

A model needs no registration: the first decode or encode of a class reads its attrs
fields and annotations (``kind_for``), builds the nested models' plans as it meets
them (recursive models such as category ``children`` included) and generates the fast
path (``_fast.py``). When the fast path fails, a slow interpretive pass over the same
field table decodes again and names the exact bad field in a ``DecodeError``
(``data[3].created_at``); it also accepts the rare valid input the fast path does not
(subclasses of int, dict or list).
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from types import NoneType, UnionType
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

import attrs

from clopos_async._errors import DecodeError
from clopos_async._wire import _kinds as k
from clopos_async._wire._fast import PHP_EMPTY_MARK, generate, slot_setter
from clopos_async._wire._kinds import Field, Kind
from clopos_async.models._types import ISO_8601

M = TypeVar("M")

#: Model attributes that are bookkeeping, not wire fields.
_BOOKKEEPING = frozenset({"extra", "_absent"})


def is_wire_model(cls: Any) -> bool:
    """Whether ``cls`` is a declared wire model: attrs, with ``extra`` and ``_absent`` slots."""
    return (
        isinstance(cls, type)
        and attrs.has(cls)
        and {"extra", "_absent"} <= set(cls.__dict__.get("__slots__", ()))
    )


@attrs.frozen
class Plan:
    """Everything needed to decode and encode one wire model."""

    fields: tuple[Field, ...]
    names: frozenset[str]
    fast: Callable[[Any], Any]
    dump: Callable[[Any], dict[str, Any]]


_PLANS: dict[type, Plan] = {}
_BUILDING: set[type] = set()


def plan_for(model: type) -> Plan:
    """The plan of ``model``, made on first use (DESIGN §3: adding a model is declaring it).

    Raises:
        TypeError: ``model`` is not a wire model, or a field has no wire kind.
    """
    plan = _PLANS.get(model)
    if plan is not None:
        return plan
    if not is_wire_model(model):
        raise TypeError(f"{model!r} is not a wire model (attrs, slots, extra and _absent)")
    _BUILDING.add(model)
    try:
        fields = fields_of(model)
        fast, dump = generate(model, fields)
    finally:
        _BUILDING.discard(model)
    plan = _PLANS[model] = Plan(fields, frozenset(f.name for f in fields), fast, dump)
    return plan


def fast_decoder(model: type[M]) -> Callable[[Any], M]:
    """The generated decoder alone (tests compare it with the slow path)."""
    return plan_for(model).fast


# --- annotations -> kinds ----------------------------------------------------------------------

_SIMPLE_KINDS: dict[frozenset[Any], Kind] = {
    frozenset({int}): k.INT,
    frozenset({str}): k.STR,
    frozenset({bool}): k.BOOL,
    frozenset({float}): k.FLOAT,
    frozenset({int, float}): k.FLOAT,
    frozenset({bool, int}): k.FLAG,
    frozenset({int, str}): k.ID,
    frozenset({str, int, float}): k.SCALAR,
    frozenset({Decimal}): k.MONEY,
    frozenset({datetime}): k.TIMESTAMP,
    frozenset({date}): k.DATE,
    frozenset({Any}): k.ANY,
}


def kind_for(annotation: Any) -> tuple[Kind, bool]:
    """The Kind for a field annotation, and whether it admits None."""
    if isinstance(annotation, UnionType) or get_origin(annotation) is Union:
        members = set(get_args(annotation))
    else:
        members = {annotation}
    nullable = NoneType in members or Any in members  # Any admits JSON null too
    members.discard(NoneType)
    return _kind_for_members(frozenset(members)), nullable


def _kind_for_members(members: frozenset[Any]) -> Kind:
    simple = _SIMPLE_KINDS.get(members)
    if simple is not None:
        return simple
    enums = [m for m in members if isinstance(m, type) and issubclass(m, Enum)]
    if len(enums) == 1 and len(members) == 2:
        (base,) = members - {enums[0]}
        return k.enum_kind(enums[0], base)
    if len(members) != 1:
        raise TypeError(f"no wire kind for the union of {sorted(map(repr, members))}")
    (only,) = members
    return _kind_for_one(only)


def _kind_for_one(only: Any) -> Kind:
    origin, args = get_origin(only), get_args(only)
    if origin is Annotated:
        return k.ISO if ISO_8601 in args[1:] else kind_for(args[0])[0]
    if attrs.has(only):
        return object_kind(only)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return _array_kind(args[0])
    if origin in (Mapping, dict) and args and args[0] is str:
        return k.map_kind(kind_for(args[1])[0])
    raise TypeError(f"no wire kind for {only!r}")


def _array_kind(item: Any) -> Kind:
    if item is Any:
        return k.RAW_LIST
    if attrs.has(item):
        return objects_kind(item)
    return k.scalars_kind(kind_for(item)[0])


def fields_of(model: type) -> tuple[Field, ...]:
    """The wire fields of a model, in declaration order."""
    hints = typing.get_type_hints(model, include_extras=True)
    table = []
    for attribute in attrs.fields(model):
        if attribute.name in _BOOKKEEPING:
            continue
        kind, nullable = kind_for(hints[attribute.name])
        table.append(
            Field(
                name=attribute.name,
                kind=kind,
                nullable=nullable,
                required=attribute.default is attrs.NOTHING,
                default=_default_factory(attribute),
            )
        )
    return tuple(table)


def _default_factory(attribute: attrs.Attribute[Any]) -> Callable[[], Any]:
    default: Any = attribute.default
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        factory: Callable[[], Any] = default.factory
        return factory
    return lambda: default


# --- nested models -----------------------------------------------------------------------------


def object_kind(model: type) -> Kind:
    """A nested wire object.

    PHP serialises an empty associative array as ``[]``, so a backend may send
    ``"meta": []`` for an empty object. Models with no required field accept it as
    a shared empty instance that encodes back to ``[]``.
    """
    if model in _BUILDING:  # a recursive model: bind to its plan once it exists
        return Kind(
            "an object",
            (("c is dict", "v = FAST(v)"),),
            _slow_object(model, None),
            lambda value: _PLANS[model].dump(value),
            {"FAST": _late_fast(model)},
        )
    plan = plan_for(model)
    empty = _php_empty(model)
    fast: tuple[tuple[str, str], ...] = (("c is dict", "v = FAST(v)"),)
    names: dict[str, Any] = {"FAST": plan.fast}
    if empty is not None:
        fast = (*fast, ("c is list and not v", "v = PHPEMPTY"))
        names["PHPEMPTY"] = empty
    return Kind("an object", fast, _slow_object(model, empty), plan.dump, names)


def _slow_object(model: type, empty: Any) -> Callable[[Any, str], Any]:
    def slow(value: Any, path: str) -> Any:
        if empty is not None and value.__class__ is list and not value:
            return empty
        return structure_slow(model, value, path)

    return slow


def _late_fast(model: type) -> Callable[[Any], Any]:
    def fast(value: Any) -> Any:
        return _PLANS[model].fast(value)

    return fast


def _php_empty(model: type) -> Any:
    """The shared instance for ``[]``, or None when the model has a required field."""
    if any(field.required for field in _PLANS[model].fields):
        return None
    instance: Any = structure_slow(model, {}, "")
    slot_setter(model, "_absent")(instance, PHP_EMPTY_MARK)
    return instance


def objects_kind(model: type) -> Kind:
    """An array of wire objects, decoded to a tuple."""
    fast = _late_fast(model) if model in _BUILDING else plan_for(model).fast
    return Kind(
        "an array",
        (("c is list", "v = tuple(map(FAST, v))"),),
        lambda value, path: tuple(structure_slow_list(model, value, path)),
        lambda value: [_PLANS[model].dump(item) for item in value],
        {"FAST": fast},
    )


# --- building instances without __init__ -------------------------------------------------------
# Decoded values are already checked and converted, so the attrs __init__ (and its
# converters for hand-built models) is skipped: slots are written directly.


def build(model: type[M], values: Mapping[str, Any], extra: dict[str, Any], absent: Any) -> M:
    """An instance of ``model`` from decoded values, unknown keys and absent keys."""
    instance = object.__new__(model)
    for name, value in values.items():
        slot_setter(model, name)(instance, value)
    slot_setter(model, "extra")(instance, extra)
    slot_setter(model, "_absent")(instance, frozenset(absent))
    return instance


# --- slow path: interpretive, names the bad field ----------------------------------------------


def structure_slow(model: type[M], data: Any, path: str) -> M:
    """Decode ``data`` as ``model`` field by field; DecodeError names the bad field."""
    if not isinstance(data, Mapping):
        raise k.fail("an object", data, path)
    values: dict[str, Any] = {}
    absent: list[str] = []
    plan = plan_for(model)
    for field in plan.fields:
        field_path = f"{path}.{field.name}" if path else field.name
        if field.name not in data:
            if field.required:
                raise DecodeError("required field is missing", path=field_path)
            values[field.name] = field.default()
            absent.append(field.name)
        else:
            values[field.name] = _slow_value(field, data[field.name], field_path)
    known = plan.names
    extra = {key: value for key, value in data.items() if key not in known}
    return build(model, values, extra, absent)


def _slow_value(field: Field, value: Any, path: str) -> Any:
    if value is None:
        if not field.nullable:
            raise DecodeError(f"expected {field.kind.label}, got null", path=path)
        return None
    return field.kind.slow(value, path)


def structure_slow_list(model: type[M], data: Any, path: str) -> list[M]:
    """Decode an array of ``model`` objects; paths look like ``data[3].created_at``."""
    if not isinstance(data, (list, tuple)):
        raise k.fail("an array", data, path)
    return [structure_slow(model, item, f"{path}[{i}]") for i, item in enumerate(data)]


# --- entry points ------------------------------------------------------------------------------


def decode(model: type[M], obj: Any, path: str = "data") -> M:
    """Decode one wire object: the fast path, else the diagnosing slow path.

    Raises:
        DecodeError: naming the first bad field, e.g. ``data.created_at``.
    """
    plan = _PLANS.get(model) or plan_for(model)
    try:
        return plan.fast(obj)  # type: ignore[no-any-return]
    except Exception:  # any failure: the slow path re-decodes and explains
        return structure_slow(model, obj, path)


def decode_list(model: type[M], obj: Any, path: str = "data") -> list[M]:
    """Decode an array of wire objects: the fast path, else the diagnosing slow path.

    Raises:
        DecodeError: naming the first bad item and field, e.g. ``data[3].created_at``.
    """
    if obj.__class__ is list or obj.__class__ is tuple:  # the pager hands pages' tuples
        fast = (_PLANS.get(model) or plan_for(model)).fast
        try:
            return list(map(fast, obj))
        except Exception:  # any failure: the slow path re-decodes and explains
            pass
    return structure_slow_list(model, obj, path)


def encode(instance: Any) -> dict[str, Any]:
    """The exact wire dict of a decoded (or hand-built) model instance."""
    return plan_for(type(instance)).dump(instance)
