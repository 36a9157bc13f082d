"""``python -m bench [NAME...]``: run every benchmark module (or the named ones)."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def main(names: list[str]) -> None:
    available = sorted(m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)])
                       if m.name.startswith("bench_"))
    for name in names or available:
        module_name = name if name.startswith("bench_") else f"bench_{name}"
        if module_name not in available:
            sys.exit(f"bench: no benchmark named {name!r}; available: {', '.join(available)}")
        print(f"== {module_name}", flush=True)
        importlib.import_module(f"bench.{module_name}").main()


if __name__ == "__main__":
    main(sys.argv[1:])
