"""The sandbox's endpoints: ``POST /auth`` and the receipts routes (API §3, §9.12).

One job: turn one admitted ``Call`` into its ``Reply``. Rate limits, tokens and
routing happen before (``_gateway``); network faults after (``_server``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import orjson

from clopos_async.testing._log import StateChange
from clopos_async.testing._query import parse_includes, parse_receipt_list
from clopos_async.testing._rules import (
    apply_close,
    apply_patch,
    check_close,
    parse_close_body,
    parse_patch_body,
)
from clopos_async.testing._store import ReceiptStore
from clopos_async.testing._tokens import TokenIssuer
from clopos_async.testing._wire import Call, Rejected, Reply, list_reply, object_reply


def authenticate(issuer: TokenIssuer, call: Call) -> Reply:
    """``POST /auth`` (API §3.1): four strings in, a JWT and its expiry out."""
    try:
        body = orjson.loads(call.body) if call.body else {}
    except orjson.JSONDecodeError:
        body = {}
    issuer.check_credentials(body if isinstance(body, dict) else {})
    issued = issuer.issue()
    answer = {
        "success": True,
        "token": issued.jwt,
        "token_type": "Bearer",  # API §3.1: yet it is sent raw in x-token, not as a Bearer
        "expires_in": issuer.ttl,
        "expires_at": issued.expires_at,
        "message": "Authentication successful",
    }
    return Reply(status=200, body=orjson.dumps(answer))


class ReceiptsEndpoints:
    """``GET /receipts``, ``GET|PATCH /receipts/{id}`` and ``POST /receipts/{id}/close``."""

    def __init__(
        self,
        store: ReceiptStore,
        changes: list[StateChange],
        now: Callable[[], datetime] = datetime.now,
    ) -> None:
        self.store = store
        self.changes = changes  # the sandbox's one log: every close and patch applied
        self._now = now  # venue local time, naive, like the API's timestamps

    def list(self, call: Call, raw_id: str | None) -> Reply:
        query = parse_receipt_list(call.query)
        total, rows = self.store.page(query)
        return list_reply(call, rows, total=total, sorts=self.store.sorts_json)

    def get(self, call: Call, raw_id: str | None) -> Reply:
        receipt_id = self._known_id(raw_id)
        includes = parse_includes(call.query)
        return object_reply(call, self.store.wire_bytes(receipt_id, includes))

    def patch(self, call: Call, raw_id: str | None) -> Reply:
        """API §9.12: four writable fields; allowed on closed receipts too."""
        receipt_id = self._known_id(raw_id)
        changes = parse_patch_body(call.body)
        receipt = apply_patch(self.store.wire(receipt_id), changes, self._now())
        self.store.replace(receipt_id, receipt)
        self.changes.append(
            StateChange(resource="receipts", action="update", id=receipt_id, detail=dict(changes))
        )
        return object_reply(call, self.store.wire_bytes(receipt_id))

    def close(self, call: Call, raw_id: str | None) -> Reply:
        """API §9.12: close an open receipt; the answer holds only id, closed_at, payments."""
        receipt_id = self._known_id(raw_id)
        order = parse_close_body(call.body)
        receipt = self.store.wire(receipt_id)
        now = self._now()
        closed_at = check_close(receipt, order, now)
        apply_close(receipt, order.payment_methods, closed_at, now)
        self.store.replace(receipt_id, receipt)
        stored = {
            "payment_methods": [dict(method) for method in receipt["payment_methods"]],
            "closed_at": receipt["closed_at"],
        }
        self.changes.append(
            StateChange(resource="receipts", action="close", id=receipt_id, detail=stored)
        )
        data: dict[str, Any] = {
            "id": receipt_id,
            "closed_at": receipt["closed_at"],
            "payment_methods": receipt["payment_methods"],
        }
        return object_reply(call, orjson.dumps(data), message="Receipt closed")

    def _known_id(self, raw_id: str | None) -> int:
        """The id in the path, or 404 ``not_found`` (API §9.12), numeric or not."""
        if raw_id and raw_id.isascii() and raw_id.isdigit() and len(raw_id) < 19:
            receipt_id = int(raw_id)
            if receipt_id in self.store:
                return receipt_id
        raise Rejected(404, "not_found", "Receipt not found")
