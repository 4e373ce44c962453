"""``python -m salesboard``."""

import sys

from salesboard.cli.main import main

sys.exit(main())
