"""``python -m bench fuzz``: a longer hostile-input campaign than the tests run.

Every seed format (CSV, live recording, TCX, GPX, Polar HRM, RR text, Wahoo CSV, the corpus's
TCX and GPX files, the bundled FIT sample) and zips of them are mutated
``MYOKINETICS_FUZZ_CASES`` times each (default 200) with :mod:`tools.mutate`, seeded so any
failure can be replayed. Each case must end as an Activity or a MyokineticsError within 10 s;
printed: cases per format, foreign exceptions, the slowest case and the median time per case.
"""

from __future__ import annotations

import os
import random
import statistics
import tempfile
import time
import traceback
import warnings
from pathlib import Path

from myokinetics.errors import MyokineticsError
from myokinetics.ingest.archive import walk
from myokinetics.ingest.dispatch import read_many_bytes
from tools.mutate import mutate, mutate_zip, seed_files

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "fit-corpus"
LIMIT_S = 10.0


def seeds() -> dict[str, bytes]:
    files = seed_files(ROOT / "tests" / "data" / "formats")
    files["sample.fit"] = (ROOT / "samples" / "run-intervals-45min.fit").read_bytes()
    if CORPUS.is_dir():
        for path in sorted(CORPUS.iterdir()):
            if path.suffix.lower() in (".tcx", ".gpx") and path.stat().st_size < 500_000:
                files[path.name] = path.read_bytes()
    return files


def run_case(data: bytes, name: str, folder: Path) -> None:
    """Read ``data`` as ``name`` (a zip through the importer's archive walk)."""
    if name.endswith(".zip"):
        path = folder / name
        path.write_bytes(data)
        for entry in walk([path]):
            if entry.data is not None:
                for _ in read_many_bytes(entry.data, entry.source, cut=entry.cut):
                    pass
        return
    for _ in read_many_bytes(data, name):
        pass


def main() -> None:
    cases = int(os.environ.get("MYOKINETICS_FUZZ_CASES", "200"))
    files = seeds()
    small = {name: data for name, data in files.items() if len(data) < 200_000}
    targets = [*files, "mixed.zip"]
    failures: list[str] = []
    times: list[float] = []
    slowest = (0.0, "")
    folder = Path(tempfile.mkdtemp(prefix="myokinetics-fuzz-"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for done, name in enumerate(targets, 1):
            for case in range(cases):
                rng = random.Random(f"{name}/{case}")
                data = mutate_zip(small, rng) if name == "mixed.zip" else mutate(files[name], rng)
                start = time.perf_counter()
                try:
                    run_case(data, name, folder)
                except MyokineticsError:
                    pass
                except Exception as error:  # what the campaign looks for
                    failures.append(f"{name} case {case}: {type(error).__name__}: {error}"[:200]
                                    + f"\n    {traceback.format_exc().splitlines()[-3].strip()}")
                elapsed = time.perf_counter() - start
                times.append(elapsed)
                slowest = max(slowest, (elapsed, f"{name} case {case}"))
            print(f"  {done}/{len(targets)} {name}: {cases} cases", flush=True)
    print(f"fuzz: {len(times)} cases, {len(failures)} foreign exceptions, median "
          f"{1000 * statistics.median(times):.1f} ms per case, slowest {slowest[0]:.2f} s "
          f"({slowest[1]}; limit {LIMIT_S:g} s)")
    for line in failures[:20]:
        print("  " + line)
