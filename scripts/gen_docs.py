"""Regenerate the rule reference in docs/rules/ from the rules' metadata.

Usage (from the repository root, with inquiry-assist installed)::

    python scripts/gen_docs.py           # write the pages
    python scripts/gen_docs.py --check   # exit 1 if any page is stale
"""

from __future__ import annotations

import sys
from pathlib import Path

from inquiry_assist.docsgen import main

if __name__ == "__main__":
    root = Path(__file__).resolve().parents[1]
    sys.exit(main(["--root", str(root), *sys.argv[1:]]))
