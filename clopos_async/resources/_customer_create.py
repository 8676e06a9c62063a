"""The exactly-once ``POST /customers`` (DESIGN §2 "Non-idempotent writes", API §9.5, §12).

The API has no idempotency key, but a customer's ``cid`` is unique (API §9.5), so
every create sends one (the caller's, or a fresh uuid4) and the cid is the key:

* the POST itself is unsafe: the pipeline retries it only when it surely never
  left (connection refused, 429);
* after an ambiguous failure (timeout, reset, 5xx, an unreadable 200) the same
  body is sent again: either it creates the customer now, or the server refuses
  it as a duplicate (409), which means an earlier attempt took effect;
* after any 409 the customer is looked up by ``name`` (there is no ``cid``
  filter, API §9.5) and matched by ``cid``: found, it is the answer; not found,
  the phone or code belongs to someone else and the ``ConflictError`` stands.

A redelivered call (same cid, e.g. a queue's second delivery) is thus answered
with the customer the first delivery made, and never makes a second one.
"""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime
from typing import Any

import attrs

from clopos_async._api._endpoints import CUSTOMER_CREATE, CUSTOMERS
from clopos_async._errors import ClientValueError, ConflictError
from clopos_async._protocol import encode_list_query
from clopos_async._retry import Deadline
from clopos_async._validation import check_optional_id, shown
from clopos_async._wire import decode, decode_list
from clopos_async.models import Customer
from clopos_async.resources._base import data_of, list_total
from clopos_async.resources._close import AMBIGUOUS
from clopos_async.resources._seam import Seam

#: Loose on purpose: the server is the judge; this catches typos like a missing ``@``.
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
_GENDERS = (1, 2)  # API §9.5, §11: 1 male, 2 female; None unspecified
_LOOKUP_PAGE = CUSTOMERS.max_limit  # as few pages as possible while reconciling


@attrs.frozen(kw_only=True, slots=True)
class CustomerDraft:
    """A checked ``POST /customers`` body (API §9.5); ``cid`` is always set."""

    name: str
    cid: str
    fields: tuple[tuple[str, Any], ...]

    @classmethod
    def build(cls, *, name: object, cid: object, **optional: object) -> CustomerDraft:
        """Check every field; nothing is sent on failure.

        Raises:
            ClientValueError: naming the field, its value and what is allowed.
        """
        checked = _check_name(name)
        key = _check_cid(cid)
        fields = [(field, _check_optional(field, value)) for field, value in optional.items()]
        return cls(name=checked, cid=key, fields=tuple((k, v) for k, v in fields if v is not None))

    def body(self) -> dict[str, Any]:
        """The JSON body: name, cid and the fields that were given (None is not sent)."""
        return {"name": self.name, "cid": self.cid, **dict(self.fields)}


def _check_name(value: object) -> str:
    if isinstance(value, str) and value.strip():
        return value
    raise ClientValueError(f"name={shown(value)} is not allowed: a non-empty string is required")


def _check_cid(value: object) -> str:
    """The caller's cid as a canonical UUID string, or a fresh uuid4 (API §9.5: a uuid)."""
    if value is None:
        return str(uuid.uuid4())
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, str):
        try:
            return str(uuid.UUID(value))
        except ValueError:
            pass
    raise ClientValueError(f"cid={shown(value)} is not allowed: None or a UUID is required")


def _check_optional(field: str, value: object) -> Any:
    if value is None:
        return None
    if field == "gender":
        if isinstance(value, int) and not isinstance(value, bool) and value in _GENDERS:
            return value
        raise ClientValueError(f"gender={shown(value)} is not allowed: 1, 2 or None is required")
    if field == "group_id":
        return check_optional_id("group_id", value)
    if field == "date_of_birth":
        if isinstance(value, date) and not isinstance(value, datetime):
            return value.isoformat()  # API §9.5: YYYY-MM-DD
        raise ClientValueError(
            f"date_of_birth={shown(value)} is not allowed: a datetime.date or None is required"
        )
    if not isinstance(value, str) or not value.strip():
        raise ClientValueError(f"{field}={shown(value)} is not allowed: None or a non-empty string")
    if field == "email" and not _EMAIL.fullmatch(value):
        raise ClientValueError(
            f"email={shown(value)} is not allowed: an address like name@example.com is required"
        )
    return value


class CustomerCreator:
    """Runs a CustomerDraft to exactly one created customer, under one deadline."""

    def __init__(self, seam: Seam) -> None:
        self._seam = seam

    async def create(self, draft: CustomerDraft) -> Customer:
        limit = await self._seam.begin_operation()  # the POSTs and the lookup share it
        attempts = self._seam.max_attempts
        for attempt in range(1, attempts + 1):
            try:
                return await self._post(draft, limit)
            except ConflictError:
                found = await self._find(draft, limit)
                if found is None:
                    raise  # the phone or code is someone else's
                return found
            except AMBIGUOUS:
                if attempt == attempts or limit.left() <= 0:
                    raise
        raise AssertionError("unreachable: the loop returns or raises")  # pragma: no cover

    async def _post(self, draft: CustomerDraft, limit: Deadline) -> Customer:
        envelope = await self._seam.send(
            CUSTOMER_CREATE.method,
            CUSTOMER_CREATE.path,
            json=draft.body(),
            safe=False,
            shared_deadline=limit,
        )
        return decode(Customer, data_of(envelope))

    async def _find(self, draft: CustomerDraft, limit: Deadline) -> Customer | None:
        """The customer with our cid among those whose name matches ours (API §9.5)."""
        page = 1
        while True:
            query = encode_list_query(page=page, limit=_LOOKUP_PAGE, filters=[("name", draft.name)])
            envelope = await self._seam.send(
                "GET",
                CUSTOMERS.path,
                params=query,
                shared_deadline=limit,
            )
            items = decode_list(Customer, data_of(envelope))
            match = next((c for c in items if (c.cid or "").lower() == draft.cid), None)
            if match is not None:
                return match
            if len(items) < _LOOKUP_PAGE or page * _LOOKUP_PAGE >= list_total(envelope):
                return None
            page += 1
