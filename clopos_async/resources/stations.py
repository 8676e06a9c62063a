"""The stations resource: list and get (API §9.7, §10.10)."""

from __future__ import annotations

from clopos_async._api._endpoints import STATION, STATIONS
from clopos_async._pagination import Pager
from clopos_async.models import Station
from clopos_async.resources._base import Resource, check_path_id, item_id, page_query, plain_params


class Stations(Resource):
    """``client.stations``: the kitchen and bar stations of the venue."""

    def list(
        self,
        *,
        status: int | None = None,
        can_print: bool | None = None,
        page: int = 1,
        limit: int = 50,
        max_items: int | None = None,
        concurrency: int = 1,
    ) -> Pager[Station]:
        """A lazy pager over ``GET /stations``.

        Args:
            status: 1 active, 0 inactive; None for both.
            can_print: only stations that can (True) or cannot (False) print.
            page: the first page to read (1-based).
            limit: page size, 1-200.
            max_items: stop after this many stations (None: all).
            concurrency: pages in flight at once.

        Returns:
            A pager: ``await`` it for one page, ``async for`` it for every station.

        Raises:
            ClientValueError: a bad argument; nothing is sent.
        """
        params = plain_params(STATIONS, {"status": status, "can_print": can_print})
        return self._pager(
            STATIONS,
            Station,
            lambda number, size: [*page_query(number, size), *params],
            page=page,
            limit=limit,
            max_items=max_items,
            concurrency=concurrency,
            key=item_id,
        )

    async def get(self, id: int | str) -> Station:
        """One station by id (``GET /stations/{id}``).

        Args:
            id: the station's id, an integer or a string id (API §15 item 16).

        Returns:
            The ``Station``.

        Raises:
            ClientValueError: a bad id; nothing is sent.
            NotFoundError: no such station (``resource_not_found``).
            APIError: another error answer (a typed subclass per status).
            TransportError: no usable response arrived (connection, timeout).
            DecodeError: the answer was not the documented shape.
        """
        return await self._get(STATION, Station, check_path_id("id", id))
