"""``python -m inquiry_assist`` is the same as the ``inquiry-assist`` command."""

import sys

from .cli import main

sys.exit(main())
