"""The facts of every endpoint of API §9.1, one ``Endpoint`` each.

Sources are cited per entry. Where the pages disagree (API §15) the entry follows the
current v2 page and the comment says what the other page says.
"""

from __future__ import annotations

from clopos_async._api._facts import Endpoint, Envelope, PageSize, Param, SortSyntax, ValueType

_INT, _STR, _BOOL = ValueType.INT, ValueType.STR, ValueType.BOOL
_INTS, _STRS = ValueType.INTS, ValueType.STRS
_RESOURCE_NOT_FOUND = "resource_not_found"  # API §15 item 7: categories, stations, products

#: Receipt ``status`` (API §11) and ``order_status``; orders' ``status``.
RECEIPT_STATUSES: tuple[int, ...] = (1, 2)
RECEIPT_ORDER_STATUSES: tuple[str, ...] = (
    "NEW", "SCHEDULED", "IN_PROGRESS", "READY", "PICKED_UP", "COMPLETED", "CANCELLED",
)  # fmt: skip
ORDER_STATUSES: tuple[str, ...] = ("PENDING", "RECEIVED", "IGNORE", "DELIVERED")
PRODUCT_TYPES: tuple[str, ...] = (
    "GOODS", "DISH", "TIMER", "PREPARATION", "INGREDIENT", "MODIFICATION",
)  # fmt: skip
CATEGORY_TYPES: tuple[str, ...] = ("PRODUCT", "INGREDIENT", "ACCOUNTING")
SALE_TYPE_SYSTEM_TYPES: tuple[str, ...] = ("IN", "DELIVERY", "TAKEAWAY")

#: The receipts list ``sorts`` array of API §9.12, in the documented order.
RECEIPT_SORTS: tuple[str, ...] = (
    "id", "cid", "user_id", "terminal_id", "table_id", "hall_id", "customer_id", "status",
    "guests", "total", "subtotal", "totalCost", "gift_total", "remaining", "suspicion",
    "discount_type", "discount_value", "discount_rate", "service_charge", "created_at",
    "updated_at", "closed_at", "deleted_at", "products.status", "products.type",
    "delivery_fee", "loyalty_value", "total_tax",
)  # fmt: skip
RECEIPT_INCLUDES: tuple[str, ...] = (
    "receipt_products",
    "receipt_products.modificators",
    "receipt_products.product.unit",
    "receipt_products.product.station",
)
_PRODUCT_INCLUDES = (
    "category",
    "station",
    "modifications",
    "modifications.codes",
    "taxes",
    "codes",
    "modificator_groups",
    "recipe",
    "packages",
    "tags",
)  # fmt: skip  API §9.8 list
_PRODUCT_GET_INCLUDES = (
    "taxes",
    "unit",
    "modifications",
    "modificator_groups",
    "recipe",
    "packages",
    "media",
    "tags",
    "setting",
)  # fmt: skip  API §9.8 get ("may vary by backend version")
_PRODUCT_FLAGS = (
    "giftable",
    "discountable",
    "haveIngredients",
    "sold_by_portion",
    "has_variants",
    "has_modifiers",
    "has_barcode",
    "has_service_charge",
)  # fmt: skip  API §9.8: accept 1, 0, true, false

_PAGED = PageSize()  # API §8: default 50, "typically 200"
_WIDE = PageSize(high=999)  # customers, categories, price lists, prices

AUTH = Endpoint(name="auth", method="POST", path="/auth", section="§3.1", auth=False)
VENUES = Endpoint(
    # API §9.3: no query documented; the SDKs send page/limit.
    name="venues.list", method="GET", path="/venues", section="§9.3",
    envelope=Envelope.TOTAL, page_size=_PAGED,
)  # fmt: skip
USERS = Endpoint(
    name="users.list", method="GET", path="/users", section="§9.4",
    envelope=Envelope.TOTAL, page_size=_PAGED,
)  # fmt: skip
USER = Endpoint(name="users.get", method="GET", path="/users/{id}", section="§9.4")
CUSTOMERS = Endpoint(
    # API §9.5; the OpenAPI page shows the pagination envelope (§15 item 8).
    name="customers.list", method="GET", path="/customers", section="§9.5",
    envelope=Envelope.PAGINATION, page_size=_WIDE,
    includes=("group", "balance", "cashback_balance"),
    filters=(Param(name="name", type=_STR), Param(name="phones", type=_STR),
             Param(name="group_id", type=_INT)),
)  # fmt: skip
CUSTOMER = Endpoint(
    name="customers.get", method="GET", path="/customers/{id}", section="§9.5",
    includes=("group", "balance", "cashback_balance"),
)  # fmt: skip
CUSTOMER_CREATE = Endpoint(
    name="customers.create", method="POST", path="/customers", section="§9.5"
)
CUSTOMER_GROUPS = Endpoint(
    name="customer_groups.list", method="GET", path="/customer-groups", section="§9.5",
    envelope=Envelope.TOTAL, page_size=_PAGED, sort_syntax=SortSyntax.GLOBAL,
    sorts=("id", "name", "discount_type", "discount_value", "total_amount", "created_at",
           "updated_at", "deleted_at"),
)  # fmt: skip
CATEGORIES = Endpoint(
    name="categories.list", method="GET", path="/categories", section="§9.6",
    envelope=Envelope.TOTAL, page_size=_WIDE,
    filters=(Param(name="type", type=_STR, choices=CATEGORY_TYPES),),
    params=(Param(name="parent_id", type=_INT),
            Param(name="type", type=_STR, choices=CATEGORY_TYPES),
            Param(name="include_children", type=_BOOL, default=True),
            Param(name="include_inactive", type=_BOOL, default=False)),
    enums={"type": CATEGORY_TYPES},
)  # fmt: skip
CATEGORY = Endpoint(
    name="categories.get", method="GET", path="/categories/{id}", section="§9.6",
    params=(Param(name="include_children", type=_BOOL, default=True),),
    not_found=_RESOURCE_NOT_FOUND,
)  # fmt: skip
STATIONS = Endpoint(
    name="stations.list", method="GET", path="/stations", section="§9.7",
    envelope=Envelope.TOTAL, page_size=_PAGED,
    params=(Param(name="status", type=_INT, choices=(0, 1)),
            Param(name="can_print", type=_BOOL)),
)  # fmt: skip
STATION = Endpoint(
    name="stations.get", method="GET", path="/stations/{id}", section="§9.7",
    not_found=_RESOURCE_NOT_FOUND,
)  # fmt: skip
PRODUCTS = Endpoint(
    # API §9.8: max 100; no sort, no date range.
    name="products.list", method="GET", path="/products", section="§9.8",
    envelope=Envelope.TOTAL, page_size=PageSize(high=100), includes=_PRODUCT_INCLUDES,
    filters=(Param(name="type", type=_STRS, choices=PRODUCT_TYPES),
             Param(name="category_id", type=_INTS), Param(name="station_id", type=_INTS),
             Param(name="tags", type=_STRS), Param(name="inventory_behavior", type=_INT),
             *(Param(name=flag, type=_BOOL) for flag in _PRODUCT_FLAGS)),
    params=(Param(name="selects", type=_STR),),
    enums={"type": PRODUCT_TYPES},
)  # fmt: skip
PRODUCT = Endpoint(
    name="products.get", method="GET", path="/products/{id}", section="§9.8",
    includes=_PRODUCT_GET_INCLUDES, not_found=_RESOURCE_NOT_FOUND,
)  # fmt: skip
STOP_LIST = Endpoint(
    name="products.stop_list", method="GET", path="/products/stop-list", section="§9.8",
    envelope=Envelope.BARE, filters=(Param(name="id", type=_INTS),),
)  # fmt: skip
PRICE_LISTS = Endpoint(
    # API §9.9: the nested sort syntax sort[0][0]=name&sort[0][1]=asc (§15 item 13).
    name="price_lists.list", method="GET", path="/price-lists", section="§9.9",
    envelope=Envelope.PAGINATION, page_size=_WIDE, sort_syntax=SortSyntax.NESTED,
    sorts=("id", "name", "created_at"), includes=("prices",),
    params=(Param(name="selects", type=_STR),),
)  # fmt: skip
PRICES = Endpoint(
    name="price_lists.prices", method="GET", path="/price-lists/prices", section="§9.9",
    envelope=Envelope.PAGINATION, page_size=_WIDE, includes=("product", "list"),
    filters=(Param(name="id", type=_INT), Param(name="product_id", type=_INT),
             Param(name="list_id", type=_INT)),
)  # fmt: skip
SALE_TYPES = Endpoint(
    name="sale_types.list", method="GET", path="/sale-types", section="§9.10",
    envelope=Envelope.TOTAL, page_size=_PAGED, enums={"system_type": SALE_TYPE_SYSTEM_TYPES},
)  # fmt: skip
PAYMENT_METHODS = Endpoint(
    name="payment_methods.list", method="GET", path="/payment-methods", section="§9.10",
    envelope=Envelope.TOTAL, page_size=_PAGED,
)  # fmt: skip
ORDERS = Endpoint(
    # API §9.11; the OpenAPI page shows the pagination envelope (§15 item 8).
    name="orders.list", method="GET", path="/orders", section="§9.11",
    envelope=Envelope.PAGINATION, page_size=_PAGED, sort_syntax=SortSyntax.GLOBAL,
    sorts=("created_at", "updated_at", "id"), default_sort="created_at", dates=True,
    includes=("customer", "receipt"),
    params=(Param(name="status", type=_STR, choices=ORDER_STATUSES),),
    enums={"status": ORDER_STATUSES},
)  # fmt: skip
ORDER = Endpoint(
    # API §9.11: with[0]=receipt:id,service_notification_id,status is one packed value.
    name="orders.get", method="GET", path="/orders/{id}", section="§9.11",
    includes=("receipt:id,service_notification_id,status",), enums={"status": ORDER_STATUSES},
)  # fmt: skip
ORDER_CREATE = Endpoint(name="orders.create", method="POST", path="/orders", section="§9.11")
ORDER_UPDATE = Endpoint(
    name="orders.cancel", method="PUT", path="/orders/{id}", section="§9.11",
    enums={"status": ("IGNORE",)},
)  # fmt: skip
RECEIPTS = Endpoint(
    name="receipts.list", method="GET", path="/receipts", section="§9.12",
    envelope=Envelope.TOTAL, page_size=_PAGED, sort_syntax=SortSyntax.GLOBAL,
    sorts=RECEIPT_SORTS, default_sort="created_at", dates=True, includes=RECEIPT_INCLUDES,
    filters=(Param(name="status", type=_INT, choices=RECEIPT_STATUSES),
             Param(name="sale_type_id", type=_INT), Param(name="terminal_id", type=_INT)),
    enums={"status": RECEIPT_STATUSES, "order_status": RECEIPT_ORDER_STATUSES},
)  # fmt: skip
RECEIPT = Endpoint(
    name="receipts.get", method="GET", path="/receipts/{id}", section="§9.12",
    includes=RECEIPT_INCLUDES,
)  # fmt: skip
RECEIPT_UPDATE = Endpoint(
    name="receipts.update", method="PATCH", path="/receipts/{id}", section="§9.12",
    enums={"order_status": RECEIPT_ORDER_STATUSES},
)  # fmt: skip
RECEIPT_CLOSE = Endpoint(
    name="receipts.close", method="POST", path="/receipts/{id}/close", section="§9.12"
)
STOCK_OPERATIONS = Endpoint(
    # API §9.12: the example has only data, no success (§15 item 8).
    name="receipts.stock_operations", method="GET", path="/receipts/{id}/stock-operations",
    section="§9.12", envelope=Envelope.BARE,
)  # fmt: skip

#: Every endpoint of API §9.1, in its order.
ENDPOINTS: tuple[Endpoint, ...] = (
    AUTH, VENUES, USERS, USER, CUSTOMERS, CUSTOMER, CUSTOMER_CREATE, CUSTOMER_GROUPS,
    CATEGORIES, CATEGORY, STATIONS, STATION, PRODUCTS, PRODUCT, STOP_LIST, PRICE_LISTS,
    PRICES, SALE_TYPES, PAYMENT_METHODS, ORDERS, ORDER, ORDER_CREATE, ORDER_UPDATE,
    RECEIPTS, RECEIPT, RECEIPT_UPDATE, RECEIPT_CLOSE, STOCK_OPERATIONS,
)  # fmt: skip
