"""Seeded small collections of the sandbox: the stations (API §9.7, §10.10).

One job: build them from facts in ``_api`` and serve them through ``Collection``.
"""

from __future__ import annotations

from typing import Any

from clopos_async._api._endpoints import STATION, STATIONS
from clopos_async.testing._collections import Collection

#: name, type (1 kitchen / 0 other), printable, status: two inactive, two that cannot print.
_STATIONS = (
    ("Kitchen", 1, 1, 1), ("Grill", 1, 1, 1), ("Bar", 0, 1, 1), ("Pastry", 1, 0, 1),
    ("Cold starters", 1, 1, 0), ("Packing", 0, 0, 0), ("Tandoor", 1, 1, 1),
)  # fmt: skip


def station_rows() -> list[dict[str, Any]]:
    """The stations in the current v2 shape (integer ids, ISO 8601 ``…Z`` timestamps)."""
    return [
        {
            "id": number,
            "name": name,
            "status": status,
            "type": kind,
            "printable": printable,
            "created_at": f"2025-07-{number:02d}T09:00:00.000000Z",
            "updated_at": f"2025-07-{number:02d}T09:30:00.000000Z",
        }
        for number, (name, kind, printable, status) in enumerate(_STATIONS, start=1)
    ]


def stations() -> Collection:
    """``GET /stations`` (``status``, ``can_print``) and ``GET /stations/{id}``."""
    return Collection(
        STATIONS,
        STATION,
        station_rows(),
        # API §10.10: the current shape says ``printable`` 1/0 where the filter says can_print.
        matchers={"can_print": lambda row, wanted: bool(row.get("printable")) is wanted},
        noun="Station",
    )
