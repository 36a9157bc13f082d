"""``myokinetics devices``: list the heart-rate straps and watches in range."""

from __future__ import annotations

import argparse
import asyncio

from myokinetics.cli._common import JSON_HELP

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "devices", help="scan for Bluetooth heart-rate devices (service 0x180D)",
        description="Scan for devices advertising the Bluetooth Heart Rate service (0x180D) "
        "and list name, address and signal strength, strongest first.")
    parser.add_argument("--timeout", type=float, default=5.0, metavar="SECONDS",
                        help="how long to scan (default 5 s)")
    parser.add_argument("--adapter", metavar="NAME", help="Bluetooth adapter, e.g. hci1 (Linux)")
    parser.add_argument("--json", action="store_true", help=JSON_HELP)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from myokinetics.cli._common import positive, print_json
    from myokinetics.devices.scanner import scan

    positive("--timeout", args.timeout, "seconds")
    found = asyncio.run(scan(args.timeout, args.adapter))
    if args.json:
        print_json("devices", {"scan_s": args.timeout, "devices": [
            {"name": d.name, "address": d.address, "rssi_dbm": d.rssi} for d in found]})
        return 0 if found else 1
    if not found:
        print(f"no heart-rate device seen in {args.timeout:g} s (straps sleep until worn; "
              "moisten the electrodes and put it on)")
        return 1
    width = max(len(d.name or "") for d in found) + 2
    print(f"{'name':<{width}}{'address':<20}RSSI")
    for device in found:
        print(f"{device.name or '(no name)':<{width}}{device.address:<20}{device.rssi} dBm")
    return 0
