"""The ``myokinetics`` command line.

Each sub-command lives in its own module of this package and exposes
``register(subparsers) -> None``, which adds an ``argparse`` parser whose ``func`` default
takes the parsed arguments and returns an exit status. Adding a command is adding a file and
naming it in :data:`COMMANDS`.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from myokinetics._version import __version__
from myokinetics.cli import (
    analyze,
    athlete,
    cohort,
    daily,
    devices,
    export,
    import_,
    list_,
    live,
    merge,
    remove,
    report,
    show,
    unmerge,
)
from myokinetics.errors import MyokineticsError

__all__ = ["COMMANDS", "main"]

#: The sub-command modules, in the order ``--help`` lists them.
COMMANDS = (analyze, athlete, cohort, daily, devices, export, import_, list_, live, merge, remove,
            report, show, unmerge)


def _build_parser() -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    """The top-level parser and each sub-command's parser by name."""
    parser = argparse.ArgumentParser(
        prog="myokinetics",
        description="Exercise load and model estimates of muscle-organ crosstalk from watch "
        "files and live heart-rate straps.",
    )
    parser.add_argument("--version", action="version", version=f"myokinetics {__version__}")
    verbose_help = ("say more: every default and its source; -vv also logs Bluetooth and "
                    "decoding details")
    parser.add_argument("-v", "--verbose", default=0, action="count", help=verbose_help)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in COMMANDS:
        command.register(subparsers)
    for sub in subparsers.choices.values():  # also after the sub-command: myokinetics show -v
        sub.add_argument("-v", "--verbose", default=argparse.SUPPRESS, action="count",
                         help=verbose_help)
    return parser, subparsers.choices


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """Parsed arguments; an unknown option is reported with the sub-command's own usage."""
    parser, commands = _build_parser()
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        commands[args.command].error(f"unrecognized arguments: {' '.join(unknown)}")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (0 ok, 1 some input failed, 2 error)."""
    args = _parse(argv)
    if args.verbose:
        logging.basicConfig(level=logging.DEBUG if args.verbose > 1 else logging.INFO,
                            format="myokinetics %(levelname)s %(name)s: %(message)s")
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
