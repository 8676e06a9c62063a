"""``python -m clopos_async.cli``: the same as the ``clopos-async`` console script."""

from __future__ import annotations

import sys

from clopos_async.cli import main

if __name__ == "__main__":
    sys.exit(main())
