"""The sandbox's reading of a list query against one endpoint's facts (API §8, §9.6-§9.9).

One job: check ``with[N]``/``with[]`` includes, typed ``filters[N][0]``/``[1]``/``[1][M]``,
the nested price-list sort ``sort[0][0]``/``sort[0][1]`` and ``selects``, on top of the
page, limit and plain parameters of ``parse_list_query``; anything else in those
families is a 400 ``invalid_parameter`` naming the parameter.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import attrs

from clopos_async._api import Endpoint, Param, SortSyntax, ValueType
from clopos_async.testing._collections import ListQuery, parse_list_query
from clopos_async.testing._collections import _param as plain_param
from clopos_async.testing._query import filter_groups, integer, invalid

_WITH = re.compile(r"with\[(\d*)\]")
_NESTED_SORT = {"sort[0][0]", "sort[0][1]"}


@attrs.frozen(kw_only=True, slots=True)
class FactsQuery:
    """A checked query: paging, plain parameters, includes, filters, sort, selects."""

    listing: ListQuery
    includes: frozenset[str] = frozenset()
    filters: Mapping[str, tuple[object, ...]] = attrs.field(factory=dict)
    sort: tuple[str, bool] | None = None  # (field, descending)
    selects: frozenset[str] | None = None


def parse_facts_query(
    endpoint: Endpoint, pairs: Iterable[tuple[str, str]], *, paged: bool = True
) -> FactsQuery:
    """The checked query of ``endpoint`` (a list, or a get when ``paged`` is False)."""
    pairs = tuple(pairs)
    if paged:
        listing = parse_list_query(endpoint, pairs)
    else:  # a get, or the unpaged stop list: only the plain parameters
        scalars = dict(pairs)
        params = {
            p.name: plain_param(p, scalars[p.name]) for p in endpoint.params if p.name in scalars
        }
        listing = ListQuery(page=1, limit=1, params=params)
    selects = dict(pairs).get("selects")
    return FactsQuery(
        listing=listing,
        includes=parse_with(endpoint, pairs),
        filters=parse_filters(endpoint, pairs),
        sort=_nested_sort(endpoint, pairs),
        selects=None if selects is None else frozenset(selects.split(",")),
    )


def parse_with(endpoint: Endpoint, pairs: Iterable[tuple[str, str]]) -> frozenset[str]:
    """Relations asked with ``with[N]=…`` or ``with[]=…`` (API §8: both forms exist)."""
    found = set()
    for key, value in pairs:
        if _WITH.fullmatch(key):
            if value not in endpoint.includes:
                raise invalid(key, value, f"one of {', '.join(endpoint.includes)}")
            found.add(value)
        elif key == "with" or key.startswith("with["):
            raise invalid(key, value, "use with[N]=relation or with[]=relation (API §8)")
    return frozenset(found)


def parse_filters(
    endpoint: Endpoint, pairs: Iterable[tuple[str, str]]
) -> dict[str, tuple[object, ...]]:
    """``filters[N][0]=field`` with ``[1]=value`` or ``[1][M]=value``, typed by the facts."""
    found: dict[str, tuple[object, ...]] = {}
    for index, field, raws in filter_groups(pairs):
        fact = endpoint.filter(field)
        if fact is None:
            names = ", ".join(f.name for f in endpoint.filters)
            raise invalid(f"filters[{index}][0]", field, f"one of {names}")
        name = f"filters[{index}][1]"
        found[fact.name] = tuple(_typed(fact, name, raw) for raw in raws)
    return found


def _typed(fact: Param, name: str, raw: str) -> object:
    if fact.type is ValueType.BOOL:
        # API §8: products boolean filters accept 1, 0, true, false.
        if raw in ("true", "1", "false", "0"):
            return raw in ("true", "1")
        raise invalid(name, raw, "true, false, 1 or 0")
    value: object = raw
    if fact.type in (ValueType.INT, ValueType.INTS):
        value = integer({name: raw}, name, 0, low=0, high=None)
    if fact.choices and value not in fact.choices:
        raise invalid(name, raw, "one of " + ", ".join(map(str, fact.choices)))
    return value


def _nested_sort(endpoint: Endpoint, pairs: tuple[tuple[str, str], ...]) -> tuple[str, bool] | None:
    """``sort[0][0]=field&sort[0][1]=asc|desc`` on price lists (API §9.9, §15 item 13)."""
    given = {key: value for key, value in pairs if key == "sort" or key.startswith("sort[")}
    if not given:
        return None
    if endpoint.sort_syntax is not SortSyntax.NESTED or not set(given) <= _NESTED_SORT:
        key = next(iter(given))
        raise invalid(key, given[key], "use sort[0][0]=field&sort[0][1]=asc|desc (API §9.9)")
    field = given.get("sort[0][0]", endpoint.sorts[0])
    if field not in endpoint.sorts:
        raise invalid("sort[0][0]", field, f"one of {', '.join(endpoint.sorts)}")
    direction = given.get("sort[0][1]", "asc")
    if direction not in ("asc", "desc"):
        raise invalid("sort[0][1]", direction, "asc or desc")
    return field, direction == "desc"
