"""What travels on the sandbox's wire: requests in, JSON envelopes out (API §5, §6).

One job: the plain data types the handlers exchange (``Call`` in, ``Reply`` out)
and the builders of the documented success and error envelopes.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any

import attrs
import orjson

JSON_CONTENT_TYPE = "application/json"


@attrs.frozen(kw_only=True, slots=True)
class Call:
    """One HTTP request, read in full, with its path relative to the API root."""

    method: str
    path: str
    query: tuple[tuple[str, str], ...]
    headers: Mapping[str, str]  # case-insensitive (aiohttp's CIMultiDictProxy)
    body: bytes
    ip: str
    received: float  # time.perf_counter() when the request arrived


@attrs.frozen(kw_only=True, slots=True)
class Reply:
    """One HTTP response the sandbox sends: status, body bytes and extra headers.

    Attributes:
        status: The HTTP status.
        body: The body (JSON, unless a fault says otherwise).
        headers: Extra headers, as (name, value) pairs in order.
    """

    status: int
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()

    def with_headers(self, extra: Mapping[str, str]) -> Reply:
        """This reply with ``extra`` headers added; they replace same-named ones.

        Args:
            extra: The headers to add.

        Returns:
            A new reply (or this one when ``extra`` is empty).
        """
        if not extra:
            return self
        replaced = {name.lower() for name in extra}
        kept = tuple((k, v) for k, v in self.headers if k.lower() not in replaced)
        return attrs.evolve(self, headers=kept + tuple(extra.items()))

    def header(self, name: str) -> str | None:
        """One header's value, by case-insensitive name.

        Args:
            name: The header's name.

        Returns:
            Its value, or None when the reply has none.
        """
        wanted = name.lower()
        return next((v for k, v in self.headers if k.lower() == wanted), None)


class Rejected(Exception):
    """A request the API answers with the error envelope (API §6.1)."""

    def __init__(self, status: int, error: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.error = error
        self.message = message
        self.extra = extra

    def reply(self) -> Reply:
        return error_reply(self.status, self.error, self.message, **self.extra)


def compact_json(value: Any) -> bytes:
    """``orjson.dumps(value)`` in a right-sized buffer, for bytes kept long-term.

    orjson returns its over-allocated output buffer (about 32 KiB whatever the
    length); keeping 100,000 of those would cost gigabytes, so copy them.
    """
    return bytes(memoryview(orjson.dumps(value)))


def error_reply(status: int, error: str | None, message: str, **extra: Any) -> Reply:
    """``{"success": false, "error": ..., "message": ...}`` (API §6.1)."""
    body: dict[str, Any] = {"success": False, "error": error, "message": message}
    body.update(extra)
    return Reply(status=status, body=orjson.dumps(body))


def meta(call: Call) -> bytes:
    """``"time":…,"timestamp":…,"unix":…`` (API §5): the envelope's diagnostic tail."""
    now = datetime.now(timezone.utc)
    elapsed_ms = int((time.perf_counter() - call.received) * 1000)
    stamp = now.strftime("%Y-%m-%d %H:%M:%S")  # API §5: UTC "YYYY-MM-DD HH:mm:ss"
    return b'"time":%d,"timestamp":"%s","unix":%d' % (
        elapsed_ms,
        stamp.encode("ascii"),
        int(now.timestamp()),
    )


def object_reply(call: Call, data: bytes, *, message: str | None = None) -> Reply:
    """A single-resource success envelope around pre-serialised ``data``."""
    head = b'{"success":true,'
    if message is not None:
        head += b'"message":' + orjson.dumps(message) + b","
    body = head + b'"data":' + data + b"," + meta(call) + b"}"
    return Reply(status=200, body=body)


def list_reply(call: Call, items: list[bytes], *, total: int, sorts: bytes) -> Reply:
    """A list envelope (API §5); rows are joined as bytes, never re-serialised."""
    body = b"".join(
        (
            b'{"success":true,"data":[',
            b",".join(items),
            b'],"total":%d,' % total,
            meta(call),
            b',"sorts":',
            sorts,
            b"}",
        )
    )
    return Reply(status=200, body=body)
