"""One reading of ``filters[N]`` for every sandbox list (API §8): ``_query.filter_groups``."""

from __future__ import annotations

import pytest

from clopos_async import BadRequestError
from clopos_async.testing import SandboxServer
from clopos_async.testing._query import filter_groups
from clopos_async.testing._wire import Rejected


def test_filters_are_grouped_by_index_in_numeric_order() -> None:
    pairs = [
        ("filters[10][0]", "b"), ("filters[10][1][0]", "2"), ("filters[10][1][1]", "3"),
        ("filters[2][0]", "a"), ("filters[2][1]", "1"), ("page", "1"),
    ]  # fmt: skip

    assert filter_groups(pairs) == [("2", "a", ["1"]), ("10", "b", ["2", "3"])]


@pytest.mark.parametrize(
    "pairs",
    [
        [("filters[0][0]", "status")],  # no values
        [("filters[0][1]", "1")],  # no field
        [("filters", "status")],  # another form of the family
        [("filters[0][0][1]", "status"), ("filters[0][1]", "1")],  # an array of fields
    ],
)
def test_a_half_or_misshapen_filter_is_a_400(pairs: list[tuple[str, str]]) -> None:
    with pytest.raises(Rejected) as info:
        filter_groups(pairs)
    assert info.value.status == 400


@pytest.mark.parametrize("path", ["/receipts", "/orders", "/customers", "/products"])
async def test_every_list_refuses_a_filter_without_values(
    sandbox: SandboxServer, path: str
) -> None:
    async with sandbox.client() as clopos:
        with pytest.raises(BadRequestError):
            await clopos.request("GET", path, params=[("filters[0][0]", "status")])
    assert [call.status for call in sandbox.requests("GET", path)] == [400]

