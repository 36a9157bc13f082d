"""``python -m myokinetics``: the command line."""

import sys

from myokinetics.cli import main

if __name__ == "__main__":  # worker processes started by spawn import this module too
    sys.exit(main())
