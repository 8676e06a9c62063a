"""The pager's memory of what it already yielded: a few bits per integer id.

De-duplicating a sweep must remember every id it yielded (rows shift between
pages, DESIGN §2), and a plain ``set`` of ints costs 50-60 bytes per id, so a
long export would grow by megabytes. Receipt ids in a sweep are mostly dense
runs, so integer ids are kept per block of 4096: a small set of offsets while
the block is sparse, a 512-byte bitmap once it fills up. A dense sweep then
costs about one bit per receipt; scattered ids cost about what a set does.
Other keys fall back to a set.
"""

from __future__ import annotations

from collections.abc import Hashable

_BLOCK_SHIFT = 12
_BLOCK_MASK = (1 << _BLOCK_SHIFT) - 1
#: A block's offsets move from a set to a bitmap at this many ids (a set of 64 small
#: ints already costs more than the 512-byte bitmap).
_BITMAP_AT = 64


class SeenIds:
    """A grow-only set of keys; ``add`` says whether a key is new."""

    def __init__(self) -> None:
        self._blocks: dict[int, set[int] | bytearray] = {}
        self._other: set[Hashable] = set()
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def add(self, key: Hashable) -> bool:
        """Remember ``key``; True if it was not seen before."""
        if isinstance(key, int):
            new = self._add_int(int(key))  # int(): a bool equals its int, as in a set
        elif key in self._other:
            new = False
        else:
            self._other.add(key)
            new = True
        self._count += new
        return new

    def _add_int(self, key: int) -> bool:
        number, offset = key >> _BLOCK_SHIFT, key & _BLOCK_MASK
        block = self._blocks.get(number)
        if block is None:
            self._blocks[number] = {offset}
            return True
        if isinstance(block, bytearray):
            byte, bit = offset >> 3, 1 << (offset & 7)
            if block[byte] & bit:
                return False
            block[byte] |= bit
            return True
        if offset in block:
            return False
        block.add(offset)
        if len(block) >= _BITMAP_AT:
            self._blocks[number] = _bitmap(block)
        return True


def _bitmap(offsets: set[int]) -> bytearray:
    bits = bytearray((_BLOCK_MASK + 1) // 8)
    for offset in offsets:
        bits[offset >> 3] |= 1 << (offset & 7)
    return bits
