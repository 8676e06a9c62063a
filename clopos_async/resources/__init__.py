"""The resources: a small ``Resource`` base (``_base``) and one module per API resource.

A resource reaches its client only through the ``Seam`` (``_seam``). A new endpoint
needs its facts in ``clopos_async._api``, a model in ``clopos_async.models``, a
resource module here, one ``mount`` line in ``_client.py`` and a sandbox route.
"""

from __future__ import annotations

from clopos_async.resources.receipts import Receipts
from clopos_async.resources.stations import Stations

__all__ = ["Receipts", "Stations"]
