"""API facts per endpoint (API §9.1): one table read by validation, resources and the sandbox.

``_facts`` defines the record; ``_endpoints`` holds one per method + path, and the
documented enumerations (API §11).
"""

from __future__ import annotations

from clopos_async._api._endpoints import ENDPOINTS
from clopos_async._api._facts import Endpoint, Envelope, PageSize, Param, SortSyntax, ValueType

__all__ = ["ENDPOINTS", "Endpoint", "Envelope", "PageSize", "Param", "SortSyntax", "ValueType"]
