"""The write rules of ``POST /customers`` in the sandbox (API §9.5).

One job: check a create body against the existing customers and build the new row.

Errors (API §9.5 gives 400 for validation and 409 for duplicates, v1 page):

- 400 ``validation_failed``: ``name`` missing or empty; ``email`` not an address;
  ``gender`` not 1, 2 or null; ``date_of_birth`` not ``YYYY-MM-DD``; ``cid`` not a
  UUID; ``group_id`` not an existing group; a field of the wrong type.
- 409 ``duplicate_cid`` "The cid has already been taken.", then ``duplicate_phone``
  "The phone has already been taken." (against every phone of every customer),
  then ``duplicate_code`` "The code has already been taken.", checked in that order.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timezone
from typing import Any

import orjson

from clopos_async.testing._wire import Rejected

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TEXT_FIELDS = ("email", "phone", "code", "description")


def _failed(message: str) -> Rejected:
    return Rejected(400, "validation_failed", message)


def parse_create(body: bytes, group_ids: Iterable[int]) -> dict[str, Any]:
    """The checked fields of a create body (400 ``validation_failed`` otherwise)."""
    try:
        fields = orjson.loads(body) if body else None
    except orjson.JSONDecodeError:
        fields = None
    if not isinstance(fields, dict):
        raise _failed("The body must be a JSON object")
    name = fields.get("name")
    if not isinstance(name, str) or not name.strip():
        raise _failed("The name field is required")
    for field in _TEXT_FIELDS:
        if fields.get(field) is not None and not isinstance(fields[field], str):
            raise _failed(f"The {field} must be a string")
    _check_values(fields, frozenset(group_ids))
    return fields


def _check_values(fields: Mapping[str, Any], group_ids: frozenset[int]) -> None:
    email = fields.get("email")
    if email is not None and not _EMAIL.fullmatch(email):
        raise _failed("The email must be a valid email address")
    if fields.get("gender") not in (None, 1, 2) or isinstance(fields.get("gender"), bool):
        raise _failed("The gender must be 1, 2 or null")
    born = fields.get("date_of_birth")
    if born is not None and not (isinstance(born, str) and _valid_date(born)):
        raise _failed("The date_of_birth must be a date in the format YYYY-MM-DD")
    cid = fields.get("cid")
    if cid is not None and not (isinstance(cid, str) and _valid_uuid(cid)):
        raise _failed("The cid must be a valid UUID")
    group = fields.get("group_id")
    if group is not None and (isinstance(group, bool) or group not in group_ids):
        raise _failed("The selected group_id is invalid")


def _valid_date(text: str) -> bool:
    if not _DATE.fullmatch(text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _valid_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def check_unique(fields: Mapping[str, Any], rows: Iterable[Mapping[str, Any]]) -> None:
    """409 on a cid, phone or code already taken (API §9.5), in that order."""
    rows = list(rows)
    cid = fields.get("cid")
    if cid is not None and any(str(r.get("cid", "")).lower() == cid.lower() for r in rows):
        raise Rejected(409, "duplicate_cid", "The cid has already been taken.")
    phone = fields.get("phone")
    if phone is not None and any(phone in (r.get("phones") or ()) for r in rows):
        raise Rejected(409, "duplicate_phone", "The phone has already been taken.")
    code = fields.get("code")
    if code is not None and any(r.get("code") == code for r in rows):
        raise Rejected(409, "duplicate_code", "The code has already been taken.")


def new_customer(fields: Mapping[str, Any], customer_id: int, now: datetime) -> dict[str, Any]:
    """The stored row: a balance account is made, loyalty flags default to false (API §9.5)."""
    stamp = iso(now)
    phone = fields.get("phone")
    return {
        "id": customer_id,
        "cid": fields.get("cid") or str(uuid.uuid4()),
        "venue_id": 1,
        "group_id": fields.get("group_id"),
        "balance_id": 1000 + customer_id,
        "cashback_balance_id": None,
        "bonus_balance_id": None,
        "name": fields["name"],
        "email": fields.get("email"),
        "phone": phone,
        "phones": [phone] if phone else [],
        "address": None,
        "addresses": [],
        "description": fields.get("description"),
        "discount": 0,
        "spent": 0,
        "total_discount": 0,
        "total_bonus": 0,
        "receipt_count": 0,
        "gender": fields.get("gender"),
        "date_of_birth": fields.get("date_of_birth"),
        "code": fields.get("code"),
        "source": None,
        "status": True,
        "can_use_loyalty_system": False,
        "is_verified": False,
        "created_at": stamp,
        "updated_at": stamp,
        "deleted_at": None,
    }


def iso(moment: datetime) -> str:
    """API §11: ISO 8601 with microseconds and ``Z``."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
