"""``client.sale_types`` and ``client.payment_methods``: venue maps, pay() (API §9.10)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from clopos_async import ClientValueError, PaymentMethod, PaymentMethodInfo, SaleType, converter
from clopos_async.testing import SandboxServer


async def test_sale_types_carry_venue_maps(sandbox: SandboxServer) -> None:
    async with sandbox.client() as client:
        sale_types = (await client.sale_types.list()).items
    assert [s.system_type for s in sale_types] == ["IN", "DELIVERY", "TAKEAWAY"]
    dine_in = sale_types[0]
    assert dine_in.status == {"1": 1, "2": 1, "3": 0}
    assert [dine_in.enabled_at(v) for v in (1, "2", 3, 4)] == [True, True, False, False]
    assert dine_in.service_charge_rate == Decimal(10)
    assert isinstance(dine_in.created_at, str)  # API §11 names no format for sale types


async def test_pay_makes_the_payment_a_close_takes(sandbox: SandboxServer) -> None:
    async with sandbox.client() as client:
        methods = {m.name: m for m in (await client.payment_methods.list()).items}
        receipt_id = sandbox.receipt_ids(status=1)[0]
        total = (await client.receipts.get(receipt_id)).total
        assert total is not None
        closed = await client.receipts.close(receipt_id, [methods["Card"].pay(total)])
    assert closed.payment_methods == (PaymentMethod(id=2, name="Card", amount=total),)
    assert sandbox.closes[-1].payment_methods == [
        {
            "id": 2,
            "name": "Card",
            "amount": converter.unstructure(closed.payment_methods[0])["amount"],
        }
    ]
    assert methods["Bonus"].needs_customer
    assert not methods["Cash"].needs_customer
    assert methods["Bonus"].balance == {"id": 1, "system_type": "BONUS", "name": "Bonus",
                                        "type": "bonus"}  # fmt: skip
    assert not methods["Voucher"].enabled_at(1)
    assert methods["Voucher"].enabled_at(2)


def test_pay_checks_its_amount_and_needs_a_name() -> None:
    card = PaymentMethodInfo(id=2, name="Card")
    assert card.pay("8.14").amount == Decimal("8.14")
    assert card.pay(8.14).amount == Decimal("8.14")
    with pytest.raises(ClientValueError, match="amount"):
        card.pay(float("nan"))
    with pytest.raises(ClientValueError, match=r"PaymentMethodInfo\(id=7\).name=None"):
        PaymentMethodInfo(id=7).pay(1)


def test_venue_maps_and_unknown_fields_round_trip() -> None:
    wire = {"id": 1, "status": {"1": 1, "12": 0}, "media": [], "payment_method_id": 3,
            "payment_method": {"id": 3}, "new_field": [1]}  # fmt: skip
    sale_type = converter.structure(wire, SaleType)
    assert sale_type.extra == {"new_field": [1]}
    assert converter.unstructure(sale_type) == wire
