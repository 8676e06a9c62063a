"""Bulk export: a concurrent pager streams a month of receipts to a JSONL file.

    python examples/bulk_export.py

``concurrency=4`` keeps four page requests in flight while still yielding pages
in order; the client paces itself under the API's 300 requests/minute budget
(API §7), so a long export runs at the budget without a single 429.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path

import orjson

from clopos_async import Receipt, converter
from clopos_async.testing import SandboxServer


async def export(path: Path) -> int:
    """Write every receipt of August 2025 to ``path``, oldest first; return the count."""
    async with SandboxServer(receipts=3000, seed=2) as sandbox, sandbox.client() as clopos:
        pager = clopos.receipts.list(
            date_from="2025-08-01",
            date_to="2025-08-31",
            order="asc",  # oldest first: new receipts land at the end, not mid-sweep
            limit=200,  # the API's largest page: fewest requests for the budget
            concurrency=4,
        )
        written = 0
        with path.open("wb") as out:
            async for page in pager.pages():
                # One line per receipt, in the exact wire shape (unknown keys included).
                out.writelines(
                    orjson.dumps(converter.unstructure(r), option=orjson.OPT_APPEND_NEWLINE)
                    for r in page.items
                )
                written += len(page.items)
        stats = clopos.stats
        print(f"{stats.requests} requests, {stats.rate_limited} 429s, {stats.retries} retries")
    return written


def read_back(path: Path) -> list[Receipt]:
    """Each line decodes back to an equal Receipt."""
    with path.open("rb") as lines:
        return [converter.structure(orjson.loads(line), Receipt) for line in lines]


async def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "receipts-2025-08.jsonl"
        started = time.monotonic()
        written = await export(path)
        elapsed = time.monotonic() - started
        print(f"wrote {written} receipts to {path.name} in {elapsed:.2f}s")
        print(f"read back {len(read_back(path))} receipts")


if __name__ == "__main__":
    asyncio.run(main())
