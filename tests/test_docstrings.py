"""The public surface describes itself: Google-style docstrings (issue 10, SESSION3 rules).

ruff's pydocstyle rules skip names defined in ``_private`` modules, which is where
most of the API lives, so this test walks what users actually reach instead:

* the ``__all__`` of ``clopos_async``, ``clopos_async.models``, ``clopos_async.testing``
  and ``clopos_async.redis``;
* the resource classes mounted on ``CloposClient`` (``type(client.receipts)``...);
* every package class named in a return annotation of something already on the
  surface, or in a field annotation of a model (``Pager``, ``Page``, the watchers...),
  until nothing new turns up.

Each class and each public method, function and property found is one test case, so
a failure names the object and what its docstring lacks.
"""

from __future__ import annotations

import ast
import collections.abc
import enum
import inspect
import re
import textwrap
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import ModuleType
from typing import Any, get_args, get_origin

import attrs
import pytest
import typing_extensions

import clopos_async
import clopos_async.models
import clopos_async.redis
import clopos_async.testing
from clopos_async.resources._mount import mount

ROOTS: tuple[ModuleType, ...] = (
    clopos_async,
    clopos_async.models,
    clopos_async.testing,
    clopos_async.redis,
)
PACKAGE = "clopos_async"

#: Google-style section headers (napoleon's names); an entry-list section is one of the first.
ENTRY_SECTIONS = {"Args", "Arguments", "Attributes", "Raises"}
OTHER_SECTIONS = {
    "Returns", "Yields", "Example", "Examples", "Note", "Notes", "Warning", "Warnings",
    "See Also", "Todo", "References",
}  # fmt: skip
#: ``name: text`` or ``name (type): text``; ``*args``/``**kwargs`` keep their stars.
ENTRY = re.compile(r"^(\*{0,2}[A-Za-z_][\w.]*)\s*(?:\([^)]*\))?:\s*(\S.*)?$")
#: Async methods of the client that send nothing (lifecycle only).
SENDS_NOTHING = {"CloposClient.close"}
#: The error families any request can end in (API §6): every sender lists all three.
REQUEST_ERRORS = ("APIError", "TransportError", "DecodeError")


# --- parsing ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Doc:
    """One docstring split into its summary and Google sections."""

    summary: str
    sections: dict[str, list[str]]

    def has(self, name: str) -> bool:
        return name in self.sections

    def entries(self, *names: str) -> list[str]:
        """The names listed in the first of ``names`` present (``Args`` or ``Arguments``)."""
        for name in names:
            if name in self.sections:
                return entry_names(self.sections[name])
        return []


def parse(doc: str | None) -> Doc | None:
    if not doc or not doc.strip():
        return None
    lines = inspect.cleandoc(doc).splitlines()
    sections: dict[str, list[str]] = {}
    current: str | None = None
    for line in lines[1:]:
        header = line.strip()[:-1] if line.endswith(":") and not line.startswith(" ") else ""
        if header in ENTRY_SECTIONS or header in OTHER_SECTIONS:
            current = header
            sections[current] = []
        elif line and not line.startswith(" "):
            current = None  # prose at the base indent ends a section
        elif current is not None:
            sections[current].append(line)
    return Doc(summary=lines[0].strip(), sections=sections)


def entry_names(lines: list[str]) -> list[str]:
    """Names at the section's first indent, each with a description on its line."""
    body = textwrap.dedent("\n".join(lines)).splitlines()
    names = []
    for line in body:
        if not line or line.startswith(" "):
            continue  # a continuation line
        match = ENTRY.match(line)
        if match is None or match.group(2) is None:
            names.append(f"<malformed entry {line!r}>")
        else:
            names.append(match.group(1).rsplit(".", 1)[-1] if "." in match.group(1) else
                         match.group(1))  # fmt: skip
    return names


# --- walking the surface ---------------------------------------------------------------------


def in_package(obj: object) -> bool:
    return str(getattr(obj, "__module__", "") or "").startswith(PACKAGE)


def mounted_resources() -> dict[str, type]:
    client = clopos_async.CloposClient(token="docstring-walk")
    return {
        name: type(getattr(client, name))
        for name, value in vars(clopos_async.CloposClient).items()
        if isinstance(value, mount)
    }


def package_classes(annotation: object) -> Iterator[type]:
    """Package classes named anywhere inside an evaluated annotation."""
    if isinstance(annotation, type) and in_package(annotation):
        yield annotation
    origin = get_origin(annotation)
    if isinstance(origin, type) and in_package(origin):
        yield origin
    for arg in get_args(annotation):
        yield from package_classes(arg)


#: Names a module may import only under TYPE_CHECKING, for evaluating its annotations.
EXPORTED = {name: getattr(m, name) for m in ROOTS for name in m.__all__}


def return_hint(func: Callable[..., Any]) -> object:
    """The evaluated return annotation, or ``inspect.Signature.empty``."""
    return hints_of(func).get("return", inspect.Signature.empty)


def hints_of(obj: Any) -> dict[str, Any]:
    return typing.get_type_hints(obj, localns={**EXPORTED, "Unpack": typing_extensions.Unpack})


def members(cls: type) -> Iterator[tuple[str, type, Any]]:
    """``(name, defining class, raw attribute)`` of every public package-defined member."""
    for name in dir(cls):
        if name.startswith("_"):
            continue
        owner = next((k for k in cls.__mro__ if name in vars(k)), None)
        if owner is None or not in_package(owner):
            continue  # from object, Exception, Enum, Generic, Protocol...
        raw = vars(owner)[name]
        if isinstance(owner, enum.EnumMeta) and isinstance(raw, owner):
            continue  # an enum member
        yield name, owner, raw


def function_of(raw: Any) -> Callable[..., Any] | None:
    if isinstance(raw, (classmethod, staticmethod)):
        raw = raw.__func__
    if isinstance(raw, property):
        raw = raw.fget
    return raw if inspect.isfunction(raw) and in_package(raw) else None


@dataclass(frozen=True)
class Surface:
    classes: dict[str, type]
    functions: dict[str, tuple[Callable[..., Any], type | None, bool]]  # func, owner, property
    resources: frozenset[type]


def walk() -> Surface:
    queue: list[type] = []
    functions: dict[str, tuple[Callable[..., Any], type | None, bool]] = {}
    for module in ROOTS:
        for name in module.__all__:
            value = getattr(module, name)
            if isinstance(value, type) and in_package(value):
                queue.append(value)
            elif inspect.isfunction(value) and in_package(value):
                functions[f"{module.__name__}.{name}"] = (value, None, False)
    resources = mounted_resources()
    queue.extend(resources.values())
    classes: dict[str, type] = {}
    while queue:
        cls = queue.pop()
        if cls in classes.values():
            continue
        key = cls.__qualname__
        classes[key if key not in classes else f"{cls.__module__}.{key}"] = cls
        if attrs.has(cls):
            for hint in hints_of(cls).values():
                queue.extend(package_classes(hint))
        for name, owner, raw in members(cls):
            func = function_of(raw)
            if func is None:
                continue
            functions[f"{owner.__qualname__}.{name}"] = (func, owner, isinstance(raw, property))
            queue.extend(package_classes(return_hint(func)))
    return Surface(classes, functions, frozenset(resources.values()))


SURFACE = walk()


# --- the rules -------------------------------------------------------------------------------


def is_exception(cls: type) -> bool:
    return issubclass(cls, BaseException)


def is_protocol(cls: type) -> bool:
    return bool(getattr(cls, "_is_protocol", False))


def is_typeddict(cls: type) -> bool:
    return typing.is_typeddict(cls)


def constructed_by_users(cls: type) -> bool:
    """Named in a root ``__all__``; not an enum, protocol, TypedDict or mounted resource."""
    exported = any(getattr(m, n, None) is cls for m in ROOTS for n in m.__all__)
    return (
        exported
        and not issubclass(cls, enum.Enum)
        and not is_protocol(cls)
        and not is_typeddict(cls)
        and cls not in SURFACE.resources
    )


def init_parameters(func: Callable[..., Any]) -> list[str]:
    names = []
    for parameter in list(inspect.signature(func).parameters.values()):
        if parameter.name in ("self", "cls"):
            continue
        stars: dict[Any, str] = {
            inspect.Parameter.VAR_POSITIONAL: "*",
            inspect.Parameter.VAR_KEYWORD: "**",
        }
        names.append(stars.get(parameter.kind, "") + parameter.name)
    return names


def check_args(where: str, doc: Doc | None, params: list[str], problems: list[str]) -> None:
    listed = doc.entries("Args", "Arguments") if doc else []
    for name in params:
        if name not in listed:
            problems.append(f"{where}: Args does not name {name!r}")
    var_keyword = any(p.startswith("**") for p in params)
    for name in listed:
        if name not in params and not var_keyword:
            problems.append(f"{where}: Args names {name!r}, which is not a parameter")


def instance_attributes(init: Callable[..., Any]) -> list[str]:
    """Public ``self.NAME = ...`` assignments in an ``__init__``'s source."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(init)))
    found = []
    for node in ast.walk(tree):
        targets = node.targets if isinstance(node, ast.Assign) else []
        for target in targets:
            if (
                isinstance(target, ast.Attribute)
                and isinstance(target.value, ast.Name)
                and target.value.id == "self"
                and not target.attr.startswith("_")
            ):
                found.append(target.attr)
    return found


def known_errors() -> set[str]:
    names = {n for n in clopos_async.__all__ if n.endswith("Error")}
    return names | {"ValueError", "TypeError", "KeyError", "RuntimeError", "OSError"}


def class_problems(cls: type) -> list[str]:
    problems: list[str] = []
    where = cls.__qualname__
    doc = parse(vars(cls).get("__doc__"))
    if doc is None:
        return [f"{where}: no class docstring"]
    if attrs.has(cls):
        listed = doc.entries("Attributes")
        for field in attrs.fields(cls):
            if field.name not in listed and field.init:  # not private bookkeeping
                problems.append(f"{where}: Attributes does not name field {field.name!r}")
        for name in listed:
            if not hasattr(cls, name) and name not in attrs.fields_dict(cls):
                problems.append(f"{where}: Attributes names {name!r}, which it does not have")
        return problems
    for name, value in vars(cls).items():
        if isinstance(value, mount) and name not in doc.entries("Attributes"):
            problems.append(f"{where}: Attributes does not name the resource {name!r}")
    if not constructed_by_users(cls):
        return problems
    owner = next(k for k in cls.__mro__ if "__init__" in vars(k))
    if not in_package(owner):
        return problems  # object's or Exception's constructor: nothing to name
    if owner is not cls and owner in SURFACE.classes.values():
        return problems  # an inherited constructor is checked once, on its own class
    init = vars(owner)["__init__"]
    params = init_parameters(init)
    if params:
        owner_doc = parse(vars(owner).get("__doc__"))
        init_doc = parse(init.__doc__)
        documented = init_doc if init_doc and init_doc.has("Args") else owner_doc
        check_args(f"{where} constructor ({owner.__qualname__})", documented, params, problems)
    if is_exception(cls) and owner is cls:
        listed = doc.entries("Attributes")
        for name in instance_attributes(init):
            if name not in listed:
                problems.append(f"{where}: Attributes does not name {name!r}")
    return problems


def sends_requests(key: str, func: Callable[..., Any], owner: type | None) -> bool:
    """An async method of the client, a mounted resource or a pager, or one returning an
    async iterator (its iteration sends)."""
    if owner is None or key in SENDS_NOTHING:
        return False
    api = owner in SURFACE.resources or owner.__qualname__ in ("CloposClient", "Pager")
    if not api:
        return False
    if inspect.iscoroutinefunction(func) or inspect.isasyncgenfunction(func):
        return True
    hint = return_hint(func)
    origin = get_origin(hint) or hint
    return isinstance(origin, type) and hasattr(origin, "__anext__")


def returns_nothing(hint: object) -> bool:
    return hint is None or hint is type(None)


def yields(func: Callable[..., Any]) -> bool:
    if inspect.isasyncgenfunction(func) or inspect.isgeneratorfunction(func):
        return True
    origin = get_origin(return_hint(func))
    return origin in (
        collections.abc.Iterator, collections.abc.AsyncIterator,
        collections.abc.Generator, collections.abc.AsyncGenerator,
    )  # fmt: skip


def function_problems(
    key: str, func: Callable[..., Any], owner: type | None, prop: bool
) -> list[str]:
    problems: list[str] = []
    doc = parse(func.__doc__)
    if doc is None:
        return [f"{key}: no docstring"]
    if not doc.summary:
        problems.append(f"{key}: no one-line summary")
    lines = inspect.cleandoc(func.__doc__ or "").splitlines()
    if len(lines) > 1 and lines[1].strip():
        problems.append(f"{key}: the summary is not one line (no blank line after it)")
    if prop:
        return problems  # a property's summary stands for its Returns
    check_args(key, doc, init_parameters(func), problems)
    hint = return_hint(func)
    if yields(func):
        if not doc.has("Yields"):
            problems.append(f"{key}: no Yields section")
    elif not returns_nothing(hint) and not (doc.has("Returns") or doc.has("Yields")):
        problems.append(f"{key}: no Returns section")
    raised = doc.entries("Raises")
    for name in raised:
        if name not in known_errors():
            problems.append(f"{key}: Raises names {name!r}, which is not an error users can catch")
    if sends_requests(key, func, owner):
        for family in REQUEST_ERRORS:
            if family not in raised:
                problems.append(f"{key}: sends requests but Raises does not name {family}")
    api = owner is not None and (owner in SURFACE.resources or owner is clopos_async.CloposClient)
    if api and init_parameters(func) and "ClientValueError" not in raised:
        problems.append(f"{key}: takes arguments but Raises does not name ClientValueError")
    return problems


# --- the tests -------------------------------------------------------------------------------


def test_the_walk_covers_the_whole_surface() -> None:
    """Not vacuous: the walk finds the documented API, not a handful of names."""
    assert len(SURFACE.classes) >= 100, sorted(SURFACE.classes)
    assert len(SURFACE.functions) >= 80, sorted(SURFACE.functions)
    assert len(SURFACE.resources) == 12
    for name in (
        "CloposClient", "Receipts", "Orders", "Pager", "Page", "RetryPolicy", "RateLimit",
        "LimiterBackend", "RedisBackend", "APIError", "Receipt", "SandboxServer", "FaultPlan",
    ):  # fmt: skip
        assert name in SURFACE.classes
    for key in (
        "CloposClient.request", "CloposClient.with_options", "Receipts.close", "Pager.pages",
        "PaymentMethodInfo.pay", "Category.walk", "RedisBackend.from_url",
    ):  # fmt: skip
        assert key in SURFACE.functions
    models = [c for c in SURFACE.classes.values() if attrs.has(c) and c.__module__.startswith(
        "clopos_async.models")]  # fmt: skip
    assert len(models) >= 40


def test_the_parser_reads_google_sections() -> None:
    """The checks below rest on this parser: a section entry is found, a prose line is not."""
    doc = parse(
        """Summary.

        Some prose, with: a colon.

        Args:
            first: the first.
            **rest (int): the others,
                continued here: still the same entry.

        Raises:
            clopos_async.APIError: sometimes.
        """
    )
    assert doc is not None
    assert doc.summary == "Summary."
    assert doc.entries("Args") == ["first", "**rest"]
    assert doc.entries("Raises") == ["APIError"]
    assert doc.entries("Attributes") == []
    assert parse("   ") is None


def test_the_rules_catch_what_they_are_for() -> None:
    """A missing parameter, Returns and request error are each reported."""

    async def fetch(self: object, id: int, *, include: str = "") -> int:
        """Fetch one.

        Args:
            id: which one.

        Raises:
            APIError: the API said no.
        """
        return id

    fetch.__module__ = "clopos_async.fake"
    problems = function_problems("Receipts.fetch", fetch, clopos_async.CloposClient, False)
    assert "Receipts.fetch: Args does not name 'include'" in problems
    assert "Receipts.fetch: no Returns section" in problems
    assert "Receipts.fetch: sends requests but Raises does not name TransportError" in problems
    assert "Receipts.fetch: takes arguments but Raises does not name ClientValueError" in problems


@pytest.mark.parametrize("name", sorted(SURFACE.classes))
def test_class_is_documented(name: str) -> None:
    assert class_problems(SURFACE.classes[name]) == []


@pytest.mark.parametrize("key", sorted(SURFACE.functions))
def test_function_is_documented(key: str) -> None:
    func, owner, prop = SURFACE.functions[key]
    assert function_problems(key, func, owner, prop) == []


@attrs.frozen
class _Sample:
    """A model whose docstring forgets a field.

    Attributes:
        id: the id.
        gone: a field it no longer has.
    """

    id: int
    name: str


def test_the_class_rules_catch_a_missing_field() -> None:
    """A field missing from Attributes, and a stale entry, are each reported."""
    assert class_problems(_Sample) == [
        "_Sample: Attributes does not name field 'name'",
        "_Sample: Attributes names 'gone', which it does not have",
    ]
