"""``mount``: how a client declares a resource attribute, one line per resource.

``receipts = mount(Receipts)`` makes ``client.receipts`` on first access from that
client's seam, and a view made by ``with_options`` (which starts with no resources)
makes its own from the view's seam: no resource is wired by hand anywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, Protocol, TypeVar, overload

from clopos_async.resources._seam import Seam

R = TypeVar("R")


class Mounting(Protocol):
    """What ``mount`` needs of its owner: a cache of made resources, and a seam."""

    _resources: dict[str, Any]

    def _seam(self) -> Seam: ...


class mount(Generic[R]):
    """A resource attribute, made on first access from its owner's seam."""

    def __init__(self, kind: Callable[[Seam], R]) -> None:
        self._kind = kind
        self._name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    @overload
    def __get__(self, client: None, owner: type | None = None) -> mount[R]: ...
    @overload
    def __get__(self, client: Mounting, owner: type | None = None) -> R: ...
    def __get__(self, client: Mounting | None, owner: type | None = None) -> R | mount[R]:
        if client is None:
            return self  # on the class: the declaration itself
        made: R | None = client._resources.get(self._name)
        if made is None:
            made = client._resources[self._name] = self._kind(client._seam())
        return made
