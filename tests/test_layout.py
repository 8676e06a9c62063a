"""The package's shape: no import cycles, and every name a public signature uses is exported."""

from __future__ import annotations

import ast
import inspect
import typing
from collections.abc import Iterator
from pathlib import Path

import typing_extensions

import clopos_async
from clopos_async.resources import Receipts, Stations

PACKAGE = Path(clopos_async.__file__).parent


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, module: str) -> Iterator[str]:
    """Modules ``path`` imports at import time (not under TYPE_CHECKING, not in functions)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in tree.body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


def import_graph() -> dict[str, set[str]]:
    """Each module of the package -> the package modules (and their parent packages) it needs."""
    modules = {_module_name(path): path for path in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        needed = set()
        for target in _imports(path, name):
            while target and target not in modules:
                target = target.rpartition(".")[0]
            # Importing a.b.c runs a/__init__ and a/b/__init__ first.
            parts = target.split(".")
            needed |= {".".join(parts[:i]) for i in range(2, len(parts) + 1)} - {name}
        graph[name] = {m for m in needed if m in modules and not name.startswith(m + ".")}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a path of module names, or None (depth-first search)."""
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)) is not None:
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)) is not None:
            return found
    return None


def test_the_package_has_no_import_cycle() -> None:
    graph = import_graph()
    assert "clopos_async.resources.receipts" in graph
    assert find_cycle(graph) is None


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = import_graph()
    graph["clopos_async._wire._text"] = {"clopos_async.resources._base"}  # an inverted layer
    cycle = find_cycle(graph)
    assert cycle is not None
    assert cycle[0] == cycle[-1]


def _public_names(obj: object) -> Iterator[type]:
    """Classes in the annotations of ``obj``'s public methods and properties.

    Constructors count only where users call them: resources are made by the client.
    """
    constructed = obj in (clopos_async.CloposClient, clopos_async.MemoryBackend)
    for name, member in inspect.getmembers(obj):
        if isinstance(member, property) and member.fget is not None:
            member = member.fget
        if inspect.isfunction(member) and (
            not name.startswith("_") or (name == "__init__" and constructed)
        ):
            # Unpack is imported under TYPE_CHECKING only (typing.Unpack is 3.12+).
            hints = typing.get_type_hints(member, localns={"Unpack": typing_extensions.Unpack})
            for hint in hints.values():
                yield from _classes(hint)


def _classes(hint: object) -> Iterator[type]:
    if isinstance(hint, type):
        yield hint
    for arg in typing.get_args(hint):
        yield from _classes(arg)


def test_public_signatures_use_only_exported_names() -> None:
    used = {
        cls
        for owner in (
            clopos_async.CloposClient,
            Receipts,
            Stations,
            clopos_async.Pager,
            clopos_async.LimiterBackend,
            clopos_async.MemoryBackend,
        )
        for cls in _public_names(owner)
        if cls.__module__.startswith("clopos_async")
    }
    exported = {getattr(clopos_async, name) for name in clopos_async.__all__}
    missing = {cls.__qualname__ for cls in used if cls not in exported}
    assert not missing
    assert {clopos_async.Station, clopos_async.ClientStats, clopos_async.Clock} <= used
    assert clopos_async.Reservation in used
