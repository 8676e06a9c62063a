"""Order models (API §10.4, §11). For now the ``status`` enum of ``/orders``."""

from __future__ import annotations

from enum import Enum


class OrderStatus(str, Enum):
    """An order's ``status`` (API §9.11, §11). Unknown values stay plain strings.

    Not a receipt's ``order_status``: that is ``ReceiptOrderStatus``.
    """

    PENDING = "PENDING"
    RECEIVED = "RECEIVED"
    IGNORE = "IGNORE"
    DELIVERED = "DELIVERED"
