"""``python -m myokinetics``: the command line."""

import sys

from myokinetics.cli import main

sys.exit(main())
