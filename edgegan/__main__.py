"""``python -m edgegan`` (and ``torchrun -m edgegan train ...``)."""

import sys

from edgegan.cli import main

sys.exit(main())
