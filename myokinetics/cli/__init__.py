"""The ``myokinetics`` command line.

Each sub-command lives in its own module of this package and exposes
``register(subparsers) -> None``, which adds an ``argparse`` parser whose ``func`` default
takes the parsed arguments and returns an exit status. Adding a command is adding a file and
naming it in :data:`COMMANDS`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from myokinetics.cli import analyze, daily, devices, import_, list_, live, show
from myokinetics.errors import MyokineticsError

__all__ = ["COMMANDS", "main"]

#: The sub-command modules, in the order ``--help`` lists them.
COMMANDS = (analyze, daily, devices, import_, list_, live, show)


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="myokinetics",
        description="Exercise load and model estimates of muscle-organ crosstalk from watch "
        "files and live heart-rate straps.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in COMMANDS:
        command.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (0 ok, 1 some input failed, 2 error)."""
    args = _build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except MyokineticsError as error:
        print(f"myokinetics: {error.one_line()}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("myokinetics: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return 0
    except OSError as error:  # an I/O failure no command foresaw (disk full, no permission)
        where = error.filename or "input/output"
        print(f"myokinetics: {where}: {error.strerror or error} — check the path, its "
              "permissions and the free space", file=sys.stderr)
        return 2
