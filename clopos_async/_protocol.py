"""The pure wire protocol: build query strings, read responses, map them to errors.

No I/O lives here (no aiohttp, no asyncio): the transport hands in a status, headers
and raw body bytes, and gets back an envelope dict or a typed ``CloposError``. This is
the sans-I/O core of the client (DESIGN §3), tested directly on sample payloads.
"""

from __future__ import annotations

import email.utils
import math
import time
from collections.abc import Mapping, Sequence
from datetime import date, timezone
from typing import Any, TypeAlias

import orjson

from clopos_async._errors import (
    APIError,
    AuthenticationError,
    BadRequestError,
    BodyNotJSONError,
    ClientValueError,
    DecodeError,
    NotFoundError,
    RateLimitError,
    error_class_for_status,
)
from clopos_async._rate_info import RateLimitInfo
from clopos_async._redact import PATTERNS_ONLY, Masker

#: One filter value: a scalar, or a list of scalars sent as ``filters[N][1][M]`` (API §8).
FilterValue: TypeAlias = str | int | bool | Sequence[str | int]

#: Longest body excerpt ever put in an error message.
EXCERPT_CHARS = 200

#: Deepest nesting of an error body kept on APIError.body.

#: ``success: false`` slugs (API §6.3) -> error class. Keys are lower-cased: the Errors
#: page writes sentences ("Invalid token") where endpoint pages write snake_case slugs.
ERROR_BY_SLUG: dict[str, type[APIError]] = {
    "unauthorized": AuthenticationError,
    "authentication_failed": AuthenticationError,
    "invalid token": AuthenticationError,
    "token expired": AuthenticationError,
    "headers are missing": AuthenticationError,
    "not_found": NotFoundError,
    "resource_not_found": NotFoundError,
    "invalid_parameter": BadRequestError,
    "validation_failed": BadRequestError,
    "rate_limited": RateLimitError,
}

# --- query encoding (API §8) -------------------------------------------------------------


def encode_list_query(
    *,
    page: int,
    limit: int,
    sort: str | None = None,
    order: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    include: Sequence[str] = (),
    filters: Sequence[tuple[str, FilterValue]] = (),
) -> list[tuple[str, str]]:
    """Encode list parameters in PHP bracket notation, in a fixed order.

    Keys are returned unencoded (``sort[0]``); aiohttp percent-encodes them on the wire,
    which the API accepts (API §8 examples show both forms).
    """
    query: list[tuple[str, str]] = [("page", str(page)), ("limit", str(limit))]
    if sort is not None:
        query.append(("sort[0]", sort))
    if order is not None:
        query.append(("sort[1]", str(order)))  # API §8: 1 ascending, -1 descending
    if date_from is not None:
        query.append(("date[0]", _wire_date(date_from)))
    if date_to is not None:
        query.append(("date[1]", _wire_date(date_to)))
    query.extend(encode_include(include))
    for index, (name, value) in enumerate(filters):
        query.extend(_encode_filter(index, name, value))
    return query


def encode_include(include: Sequence[str]) -> list[tuple[str, str]]:
    """``with[N]`` pairs for relation includes (API §8: the indexed form, from 0)."""
    return [(f"with[{index}]", relation) for index, relation in enumerate(include)]


def _encode_filter(index: int, name: str, value: FilterValue) -> list[tuple[str, str]]:
    prefix = f"filters[{index}]"
    pairs = [(f"{prefix}[0]", name)]
    if isinstance(value, (str, int)):  # bool is an int; _wire_scalar spells it true/false
        pairs.append((f"{prefix}[1]", _wire_scalar(value)))
        return pairs
    if len(value) == 0:
        # An empty list would send a filter with no value at all; refuse rather than guess.
        raise ClientValueError(
            f"filters[{index}]=({name!r}, []) is not allowed: a non-empty list is required"
        )
    pairs.extend((f"{prefix}[1][{item}]", _wire_scalar(v)) for item, v in enumerate(value))
    return pairs


def _wire_scalar(value: str | int) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"  # API §8: booleans travel as true/false
    return value if isinstance(value, str) else str(value)


def _wire_date(value: date) -> str:
    # Not isoformat(): a datetime would bring its time along, and years < 1000 need padding.
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"


# --- JSON ---------------------------------------------------------------------------------


def parse_json(body: bytes, masker: Masker = PATTERNS_ONLY) -> Any:
    """Decode a JSON body; anything that is not JSON is a ``BodyNotJSONError``."""
    try:
        return orjson.loads(body)
    except (orjson.JSONDecodeError, TypeError) as exc:
        raise BodyNotJSONError(f"body is not JSON: {safe_excerpt(body, masker)}") from exc


def safe_excerpt(body: bytes | bytearray | memoryview | str, masker: Masker = PATTERNS_ONLY) -> str:
    """A short printable excerpt of a raw body, with anything secret or token-like masked.

    A truncated ``/auth`` answer is not JSON but still holds the token, so mask before
    the excerpt can reach a message.
    """
    return repr(_excerpt_text(body, masker))


def _excerpt_text(
    body: bytes | bytearray | memoryview | str, masker: Masker = PATTERNS_ONLY
) -> str:
    # Mask on a generous prefix first, then cut: a cut can never expose what was masked.
    if isinstance(body, str):
        text = body[: EXCERPT_CHARS * 8]
    else:
        text = bytes(body[: EXCERPT_CHARS * 8]).decode("utf-8", errors="replace")
    text = masker.text(text)
    return text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS] + "..."


# --- headers (API §4, §7) -----------------------------------------------------------------


def parse_rate_limit(headers: Mapping[str, str]) -> RateLimitInfo | None:
    """The ``RateLimit-*`` headers, or ``None`` when any is missing or unreadable.

    ``RateLimit-Reset`` is seconds until the window resets, not an epoch (API §4).
    """
    limit = _header_number(headers, "RateLimit-Limit")
    remaining = _header_number(headers, "RateLimit-Remaining")
    reset = _header_number(headers, "RateLimit-Reset")
    if limit is None or remaining is None or reset is None:
        return None
    return RateLimitInfo(limit=int(limit), remaining=int(remaining), reset=reset)


def retry_after_seconds(headers: Mapping[str, str], *, now: float | None = None) -> float | None:
    """``Retry-After`` as seconds from now: delta seconds or an HTTP-date; else ``None``.

    ``now`` (epoch seconds) is injectable so tests do not depend on the clock.
    """
    raw = _header(headers, "Retry-After")
    if raw is None:
        return None
    delta = _parse_number(raw)
    if delta is not None:
        return delta
    return _seconds_until_http_date(raw, time.time() if now is None else now)


def _seconds_until_http_date(raw: str, now: float) -> float | None:
    try:
        moment = email.utils.parsedate_to_datetime(raw.strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)  # RFC 9110: HTTP-dates are GMT
    try:
        return max(0.0, moment.timestamp() - now)
    except (OverflowError, ValueError, OSError):
        return None


def _header(headers: Mapping[str, str], name: str) -> str | None:
    """Case-insensitive lookup that works for CIMultiDictProxy and plain dicts alike."""
    try:
        value = headers.get(name)
        # aiohttp's CIMultiDictProxy is already case-insensitive: scan plain dicts only.
        if value is None and isinstance(headers, dict):
            wanted = name.lower()
            value = next(
                (v for k, v in headers.items() if isinstance(k, str) and k.lower() == wanted),
                None,
            )
    except Exception:  # a broken mapping must not turn a response into a crash
        return None
    return None if value is None else str(value)


def _header_number(headers: Mapping[str, str], name: str) -> float | None:
    raw = _header(headers, name)
    return None if raw is None else _parse_number(raw)


def _parse_number(raw: str) -> float | None:
    """A finite number >= 0 (negatives clamp to 0), or ``None`` for garbage.

    Tolerates the IETF draft's list/parameter syntax (``"300, 300;w=60"``): first item wins.
    """
    first = raw.split(",", 1)[0].split(";", 1)[0].strip()
    try:
        number = float(first)
    except ValueError:
        return None
    if not math.isfinite(number):
        return None
    return max(0.0, number)


# --- errors (API §6) ----------------------------------------------------------------------


def error_code(body: Any) -> str | None:
    """The body's ``error`` slug: a string, or the first item of a list of objects (§6.4)."""
    if not isinstance(body, Mapping):
        return None
    error = body.get("error")
    if isinstance(error, list):
        error = error[0] if error else None
    if isinstance(error, Mapping):
        error = next((error[k] for k in ("code", "type", "exception") if _present(error, k)), None)
    return _as_text(error)


def error_message(body: Any) -> str | None:
    """The body's ``message``, else the first ``error`` item's ``message`` (API §6.4)."""
    if not isinstance(body, Mapping):
        return None
    message = _as_text(body.get("message"))
    if message is not None:
        return message
    error = body.get("error")
    if isinstance(error, list) and error:
        error = error[0]
    return _as_text(error.get("message")) if isinstance(error, Mapping) else None


def _present(mapping: Mapping[Any, Any], key: str) -> bool:
    # "code or type or exception": a 0 or "" code means "none given", so fall through.
    value = mapping.get(key)
    return bool(value) and _as_text(value) is not None


def _as_text(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return str(value)
    return value if isinstance(value, str) and value.strip() else None


def error_for(
    *,
    status: int,
    body: Any,
    method: str,
    url: str,
    headers: Mapping[str, str],
    is_auth: bool = False,
    masker: Masker = PATTERNS_ONLY,
) -> APIError:
    """The typed error for a failed response: by status, or by slug for 2xx + success:false."""
    code = error_code(body)
    cls = _error_class(status, code, is_auth)
    fields: dict[str, Any] = {
        "status": status,
        "code": code,
        "message": error_message(body),
        "method": method,
        "url": url,
        "body": body,  # APIError masks code, message and body (clopos_async._redact)
        "rate_limit": parse_rate_limit(headers),
        "masker": masker,
    }
    if issubclass(cls, RateLimitError):
        return cls(retry_after=_retry_after(headers), **fields)
    return cls(**fields)


def _error_class(status: int, code: str | None, is_auth: bool) -> type[APIError]:
    if not 200 <= status < 300:
        return error_class_for_status(status)  # any 5xx is a ServerError whatever the body
    if is_auth:
        return AuthenticationError  # API §3.4: the test/production mismatch is a 200 at /auth
    if code is None:
        return APIError
    return ERROR_BY_SLUG.get(code.strip().lower(), APIError)


#: A ``RateLimit-Reset`` above this is not "seconds until the window resets" (the windows
#: are a minute, API §7) but a broken header, e.g. an epoch: it is ignored on a 429.
MAX_RESET_SECONDS = 3600.0


def _retry_after(headers: Mapping[str, str]) -> float | None:
    # API §7: wait at least RateLimit-Reset; honour Retry-After too if it asks for longer.
    reset = _header_number(headers, "RateLimit-Reset")
    if reset is not None and reset > MAX_RESET_SECONDS:
        reset = None
    waits = [w for w in (reset, retry_after_seconds(headers)) if w is not None]
    return max(waits) if waits else None


# --- the envelope (API §5, §6) ------------------------------------------------------------


def unwrap_envelope(
    *,
    status: int,
    body: bytes,
    method: str,
    url: str,
    headers: Mapping[str, str],
    is_auth: bool = False,
    masker: Masker = PATTERNS_ONLY,
) -> dict[str, Any]:
    """Return the envelope of a successful response, or raise the typed error.

    A ``200`` with ``success: false`` is an error, never data (API §6.1). ``masker``
    (the client's) masks the secrets it knows wherever the error quotes them.
    """
    context: dict[str, Any] = {"method": method, "url": url, "headers": headers}
    context["masker"] = masker
    if not 200 <= status < 300:
        raise error_for(status=status, body=_error_body(body, masker), is_auth=is_auth, **context)
    envelope = parse_json(body, masker)
    if not isinstance(envelope, dict):
        kind = type(envelope).__name__
        excerpt = safe_excerpt(body, masker)
        raise DecodeError(f"envelope is not a JSON object but {kind}: {excerpt}")
    if not _is_success(envelope):
        raise error_for(status=status, body=envelope, is_auth=is_auth, **context)
    return envelope


def _is_success(envelope: dict[str, Any]) -> bool:
    if "success" in envelope:
        return envelope["success"] is True
    # API §5 "Known deviations": some endpoints answer with only ``data`` (or data+pagination).
    return "data" in envelope


def _error_body(body: bytes, masker: Masker) -> Any:
    """An error body for APIError.body: parsed JSON if possible, else a safe excerpt."""
    if not body:
        return None
    try:
        return orjson.loads(body)
    except (orjson.JSONDecodeError, TypeError):
        return _excerpt_text(body, masker)
