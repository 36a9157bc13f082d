"""Import the whole shared corpus into an empty library with 1 and 2 workers.

Baseline, measured in the same run: the sum over the corpus FIT files of a bare fitdecode
pass (iterate every frame, nothing kept), i.e. what decoding alone costs on one core. The
importer adds the canonical assembly, the TCX/GPX files, the Parquet writes and the catalog.
Target: with 2 workers the import takes at most 0.7x the bare sum.

``python -m bench import``; ``BENCH_IMPORT_REPEAT=3`` repeats each measurement and prints
medians (default 1: one pass over the corpus takes about a minute per core).
"""

from __future__ import annotations

import os
import resource
import statistics
import tempfile
import time
import warnings
from pathlib import Path

import fitdecode

from myokinetics.library import Library

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "fit-corpus"
TARGET_RATIO = 0.7


def bare_fitdecode_s(files: list[Path]) -> tuple[float, float]:
    """Wall and CPU seconds to iterate every frame of every file (fitdecode defaults), summed."""
    total, cpu_started = 0.0, cpu_s()
    for path in files:
        started = time.perf_counter()
        try:
            with warnings.catch_warnings(), fitdecode.FitReader(str(path)) as reader:
                warnings.simplefilter("ignore")  # CRC and dev-field notes of broken files
                for _ in reader:
                    pass
        except Exception:  # broken corpus files cost what they cost until they raise
            pass
        total += time.perf_counter() - started
    return total, cpu_s() - cpu_started


def cpu_s() -> float:
    """CPU seconds (user + system) of this process and its finished children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def import_s(files: list[Path], workers: int) -> tuple[float, float, str]:
    """Wall and CPU seconds to import ``files`` into a new, empty library; its summary line."""
    with (tempfile.TemporaryDirectory(prefix="bench-import-") as folder,
          Library(Path(folder) / "library") as library):
        started, cpu_started = time.perf_counter(), cpu_s()
        report = library.import_paths(files, workers=workers, progress=False)
        elapsed, cpu = time.perf_counter() - started, cpu_s() - cpu_started
    return elapsed, cpu, report.summary().splitlines()[0]


def main() -> None:
    if not CORPUS.is_dir():
        print(f"bench_import: {CORPUS} is absent; nothing to measure")
        return
    files = sorted(p for p in CORPUS.iterdir() if p.name != "MANIFEST.tsv")
    fit_files = [p for p in files if p.suffix.lower() == ".fit"]
    repeat = int(os.environ.get("BENCH_IMPORT_REPEAT", "1"))
    size_mb = sum(p.stat().st_size for p in files) / 1e6
    print(f"corpus: {len(files)} files ({len(fit_files)} FIT), {size_mb:.1f} MB; "
          f"{os.cpu_count()} CPUs; median of {repeat}")
    print(f"load average before: {os.getloadavg()[0]:.1f} (other work on the machine "
          "inflates wall times)")
    bare = [bare_fitdecode_s(fit_files) for _ in range(repeat)]
    baseline = statistics.median(wall for wall, _ in bare)
    baseline_cpu = statistics.median(cpu for _, cpu in bare)
    print(f"bare fitdecode, sum over {len(fit_files)} FIT files: {baseline:8.1f} s  "
          f"(CPU {baseline_cpu:.1f} s)")
    for workers in (1, 2):
        runs = [import_s(files, workers) for _ in range(repeat)]
        elapsed = statistics.median(seconds for seconds, _, _ in runs)
        cpu = statistics.median(seconds for _, seconds, _ in runs)
        print(f"import, {workers} worker{'s' if workers > 1 else ' '}:                     "
              f"{elapsed:8.1f} s  = {elapsed / baseline:4.2f}x bare  (CPU {cpu:.1f} s "
              f"= {cpu / baseline_cpu:4.2f}x bare CPU)")
        print(f"    {runs[0][2]}")
        if workers == 2:
            verdict = "met" if elapsed / baseline <= TARGET_RATIO else "NOT met"
            print(f"target 2 workers <= {TARGET_RATIO}x bare: {verdict}")


if __name__ == "__main__":
    main()
