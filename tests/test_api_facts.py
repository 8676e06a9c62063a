"""The table of API facts: every endpoint of API §9.1, read by the SDK and the sandbox."""

from __future__ import annotations

from clopos_async import OrderStatus, ReceiptOrderStatus, ReceiptStatus, _validation
from clopos_async._api import ENDPOINTS, Envelope, SortSyntax
from clopos_async._api import _endpoints as api
from clopos_async.testing import _query, _rules

#: API §9.1, rows 1-28: method and path.
SUMMARY_TABLE = {
    ("POST", "/auth"), ("GET", "/venues"), ("GET", "/users"), ("GET", "/users/{id}"),
    ("GET", "/customers"), ("GET", "/customers/{id}"), ("POST", "/customers"),
    ("GET", "/customer-groups"), ("GET", "/categories"), ("GET", "/categories/{id}"),
    ("GET", "/stations"), ("GET", "/stations/{id}"), ("GET", "/products"),
    ("GET", "/products/{id}"), ("GET", "/products/stop-list"), ("GET", "/price-lists"),
    ("GET", "/price-lists/prices"), ("GET", "/sale-types"), ("GET", "/payment-methods"),
    ("GET", "/orders"), ("GET", "/orders/{id}"), ("POST", "/orders"), ("PUT", "/orders/{id}"),
    ("GET", "/receipts"), ("GET", "/receipts/{id}"), ("PATCH", "/receipts/{id}"),
    ("POST", "/receipts/{id}/close"), ("GET", "/receipts/{id}/stock-operations"),
}  # fmt: skip


def test_every_endpoint_of_the_summary_table_once() -> None:
    seen = [(endpoint.method, endpoint.path) for endpoint in ENDPOINTS]
    assert len(seen) == len(set(seen)) == 28
    assert set(seen) == SUMMARY_TABLE
    assert len({endpoint.name for endpoint in ENDPOINTS}) == 28


def test_lists_and_only_lists_have_a_page_size_and_a_list_envelope() -> None:
    for endpoint in ENDPOINTS:
        if endpoint.paginated:
            assert endpoint.envelope in (Envelope.TOTAL, Envelope.PAGINATION), endpoint.name
            assert endpoint.page_size is not None
            assert 1 == endpoint.page_size.low <= endpoint.page_size.default
            assert endpoint.page_size.default <= endpoint.page_size.high
        else:
            assert endpoint.envelope in (Envelope.OBJECT, Envelope.BARE), endpoint.name


def test_documented_page_size_ranges() -> None:
    # API §8 and §9.5-§9.9.
    assert api.CUSTOMERS.max_limit == api.CATEGORIES.max_limit == 999
    assert api.PRICE_LISTS.max_limit == api.PRICES.max_limit == 999
    assert api.STATIONS.max_limit == api.CUSTOMER_GROUPS.max_limit == 200
    assert api.PRODUCTS.max_limit == 100
    assert api.RECEIPTS.max_limit == 200


def test_sort_syntax_and_sorts_agree() -> None:
    for endpoint in ENDPOINTS:
        assert (endpoint.sort_syntax is SortSyntax.NONE) == (not endpoint.sorts), endpoint.name
    assert api.PRICE_LISTS.sort_syntax is SortSyntax.NESTED  # API §15 item 13
    assert api.RECEIPTS.default_sort in api.RECEIPTS.sorts


def test_404_slugs_follow_the_pages() -> None:
    # API §15 item 7: not_found on receipts, resource_not_found on categories/stations/products.
    assert api.RECEIPT.not_found == "not_found"
    assert {api.CATEGORY.not_found, api.STATION.not_found, api.PRODUCT.not_found} == {
        "resource_not_found"
    }


def test_sdk_and_sandbox_read_the_same_receipt_facts() -> None:
    assert _validation.RECEIPT_SORTS == frozenset(_query.SORTS) == frozenset(api.RECEIPT_SORTS)
    assert frozenset(_query.INCLUDES) == _validation.RECEIPT_INCLUDES
    assert api.RECEIPTS.max_limit == _query.MAX_LIMIT
    assert _rules.ORDER_STATUSES == api.RECEIPT_ORDER_STATUSES
    assert _query.FILTER_FIELDS == ("status", "sale_type_id", "terminal_id")


def test_model_enums_hold_the_documented_values() -> None:
    # API §11; the enums are classes for type checkers, the table is what the sandbox reads.
    assert tuple(s.value for s in ReceiptStatus) == api.RECEIPT_STATUSES
    assert tuple(s.value for s in ReceiptOrderStatus) == api.RECEIPT_ORDER_STATUSES
    assert tuple(s.value for s in OrderStatus) == api.ORDER_STATUSES
    assert api.RECEIPTS.enums["order_status"] == api.RECEIPT_ORDER_STATUSES
    assert api.ORDERS.enums["status"] == api.ORDER_STATUSES
