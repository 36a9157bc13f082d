"""``python -m bench read``: ``myokinetics.read`` against bare fitdecode and garmin-fit-sdk.

For the six largest FIT files of ../shared/fit-corpus, in one process and one run: the median
of 3 wall times of ``read`` (default backend "fast", into DataFrames), of ``read`` with the
fitdecode backend, of a bare ``for frame in fitdecode.FitReader(path)`` loop and of Garmin's
``Decoder(stream).read()`` (garmin-fit-sdk); the ratios of ``read`` to bare fitdecode (target
<= 0.1) and to garmin-fit-sdk (target < 1), and the peak Python memory that ``read`` allocates
beyond the DataFrames it returns, as a multiple of the file size (target <= 2, measured with
tracemalloc in a separate pass because tracing slows the code).
"""

from __future__ import annotations

import gc
import statistics
import time
import tracemalloc
from pathlib import Path

import fitdecode
from garmin_fit_sdk import Decoder, Stream

from myokinetics import Activity, read

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "fit-corpus"
REPEATS = 3


def bare_fitdecode_pass(path: Path) -> int:
    frames = 0
    with fitdecode.FitReader(path) as reader:
        for _ in reader:
            frames += 1
    return frames


def garmin_sdk_pass(path: Path) -> int:
    messages, _ = Decoder(Stream.from_file(str(path))).read()
    return len(messages)


def read_fitdecode(path: Path) -> Activity:
    return read(path, backend="fitdecode")


def median_seconds(function, path: Path) -> float:
    times = []
    for _ in range(REPEATS):
        gc.collect()
        start = time.perf_counter()
        function(path)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def result_bytes(activity: Activity) -> int:
    frames = [activity.samples, activity.developer, activity.laps, activity.sessions]
    return sum(int(f.memory_usage(deep=True).sum()) for f in frames) + int(
        activity.rr.memory_usage(deep=True))


def extra_memory(path: Path) -> tuple[int, int]:
    """(peak bytes allocated during read, bytes held by the returned frames)."""
    gc.collect()
    tracemalloc.start()
    activity = read(path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak, result_bytes(activity)


def main() -> None:
    if not CORPUS.exists():
        print("bench read: ../shared/fit-corpus is absent; nothing to measure")
        return
    files = sorted((p for p in CORPUS.iterdir() if p.suffix.lower() == ".fit"),
                   key=lambda p: p.stat().st_size, reverse=True)[:6]
    print(f"{'file':44} {'MB':>5} {'bare fd':>7} {'garmin':>7} {'read fd':>7} {'read':>6} "
          f"{'/bare':>6} {'/garmin':>7} {'extra/size':>10}")
    ratios, garmin_ratios, memory_ratios = [], [], []
    for path in files:
        size = path.stat().st_size
        bare = median_seconds(bare_fitdecode_pass, path)
        garmin = median_seconds(garmin_sdk_pass, path)
        slow = median_seconds(read_fitdecode, path)
        ours = median_seconds(read, path)
        peak, kept = extra_memory(path)
        ratio, memory_ratio = ours / bare, max(0, peak - kept) / size
        ratios.append(ratio)
        garmin_ratios.append(ours / garmin)
        memory_ratios.append(memory_ratio)
        print(f"{path.name[:44]:44} {size / 1e6:5.2f} {bare:7.2f} {garmin:7.2f} {slow:7.2f} "
              f"{ours:6.3f} {ratio:6.3f} {ours / garmin:7.3f} {memory_ratio:10.2f}", flush=True)
    print(f"median ratio read/bare fitdecode: {statistics.median(ratios):.3f} (target <= 0.1); "
          f"worst {max(ratios):.3f}")
    print(f"median ratio read/garmin-fit-sdk: {statistics.median(garmin_ratios):.3f} "
          f"(target < 1); worst {max(garmin_ratios):.3f}")
    print(f"median extra memory / file size: {statistics.median(memory_ratios):.2f} "
          f"(target <= 2); worst {max(memory_ratios):.2f}")
