"""``python -m edgegan.cli`` (as ``python -m edgegan``)."""

import sys

from edgegan.cli import main

sys.exit(main())
