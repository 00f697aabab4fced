"""Import throughput on the shared device files; prints JSON.

- GPX: our pipeline (parse + summarize) vs gpxpy (parse + length_3d + uphill/downhill + moving data), in
  points per second, on the shared GPX files and on GPX files made from the FIT files' records.
- FIT: our pipeline (parse + summarize) vs a bare fitdecode decode (iterate every frame, defaults).
- Bulk: files per second importing 1,000 files (the shared files, cycled).
- Inspect: the whole ``athlos inspect --from-points FILE --json`` command (start-up, imports, parse,
  metrics, JSON) on the largest shared ride as a GPX, against a script doing gpxpy's parse + length_3d +
  uphill/downhill + moving data on it; each also on a two-point GPX, whose time (interpreter, imports,
  everything a file of any size costs) is taken off so that the start-up cancels out. Steadier on a
  shared machine: the same work timed inside a fresh process after its imports (``fresh_process_*``).

Run: ``python bench/bench_import.py [--repeat N] [--only gpx|inspect]``. Figures, not asserts.
"""

from __future__ import annotations

import argparse
import io
import itertools
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import fitdecode
import gpxpy

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.activities.tracks import T0, gpx_document, gpx_from_streams
from tests.shared_data import TRACKS as SHARED_TRACKS
from tests.shared_data import VALIDATION

from athlos.activities.importers.detect import parse_bytes
from athlos.activities.importers.errors import ImportRefused
from athlos.activities.metrics import summarize


def ours(data: bytes) -> int:
    try:
        parsed = parse_bytes(data)
    except ImportRefused:
        return 0
    return sum(summarize(a)["points"] for a in parsed.activities)


def with_gpxpy(data: bytes) -> int:
    gpx = gpxpy.parse(data.decode("utf-8-sig"))
    gpx.length_3d()
    gpx.get_uphill_downhill()
    gpx.get_moving_data()
    return gpx.get_points_no()


def bare_fitdecode(data: bytes) -> int:
    frames = 0
    try:
        with fitdecode.FitReader(io.BytesIO(data)) as reader:
            for _ in reader:
                frames += 1
    except fitdecode.FitError:
        pass
    return frames


def best_time(run: Callable[[bytes], int], files: list[bytes], repeat: int) -> float:
    return best_times(run, files, repeat)[0]


def best_times(run: Callable[[bytes], int], files: list[bytes], repeat: int) -> tuple[float, float]:
    """Best wall-clock and best CPU seconds (this process only) over ``repeat`` runs.

    On a machine shared with other work the CPU time is the steadier figure of what the code costs:
    it leaves out the time the process waited for a core.
    """
    best_wall = best_cpu = float("inf")
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        for data in files:
            run(data)
        best_wall = min(best_wall, time.perf_counter() - start)
        best_cpu = min(best_cpu, time.process_time() - start_cpu)
    return best_wall, best_cpu


def machine() -> dict[str, object]:
    return {
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


REPOSITORY = Path(__file__).resolve().parents[1]
GPXPY_SCRIPT = """
import sys, gpxpy
gpx = gpxpy.parse(open(sys.argv[1], encoding="utf-8-sig").read())
gpx.length_3d(); gpx.get_uphill_downhill(); gpx.get_moving_data()
"""


# The same work timed inside a fresh process, after its imports and a first file: start-up left out
# exactly, where the difference of two whole commands carries both start-ups' noise.
FRESH_SCRIPTS = {
    "athlos": """
import json, sys, time
from pathlib import Path
from athlos.activities.inspect import inspect_file
def run(path): sys.stdout.write(json.dumps(inspect_file(Path(path), from_points=True))[:0])
""",
    "gpxpy": """
import sys, time, gpxpy
def run(path):
    gpx = gpxpy.parse(open(path, encoding="utf-8-sig").read())
    gpx.length_3d(); gpx.get_uphill_downhill(); gpx.get_moving_data()
""",
}
FRESH_TIMING = """
run(sys.argv[2])
start, start_cpu = time.perf_counter(), time.process_time()
run(sys.argv[1])
print(time.perf_counter() - start, time.process_time() - start_cpu)
"""


def largest_shared_ride() -> tuple[str, bytes, int]:
    """Name, GPX (from its records) and points of the shared ride with the most positioned records."""
    rides = [
        (len(activity.streams), path.name, activity)
        for folder in (SHARED_TRACKS, VALIDATION)
        for path in sorted(folder.glob("fit/*.fit"))
        for activity in parse_bytes(path.read_bytes()).activities
        if activity.sport == "ride" and activity.streams.has_positions
    ]
    points, name, activity = max(rides, key=lambda ride: ride[0])
    return name, gpx_from_streams(activity.streams, sport="cycling"), points


def command_times(argv: list[str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system) of one run of a command."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPOSITORY / "src"), os.environ.get("PYTHONPATH", "")]),
    }
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=env, cwd=REPOSITORY)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def fresh_times(script: str, ride: Path, tiny: Path) -> tuple[float, float]:
    """Wall-clock and CPU seconds of the work on ``ride`` in a fresh process, after ``tiny``."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPOSITORY / "src"), os.environ.get("PYTHONPATH", "")]),
    }
    done = subprocess.run(
        [sys.executable, "-c", script + FRESH_TIMING, str(ride), str(tiny)],
        check=True, capture_output=True, text=True, env=env, cwd=REPOSITORY,
    )  # fmt: skip
    wall, cpu = done.stdout.split()
    return float(wall), float(cpu)


def inspect_command(repeat: int) -> dict[str, object]:
    name, ride, points = largest_shared_ride()
    with tempfile.TemporaryDirectory() as folder:
        ride_path, tiny_path = Path(folder) / "ride.gpx", Path(folder) / "tiny.gpx"
        ride_path.write_bytes(ride)
        tiny_path.write_bytes(gpx_document([T0, T0 + 1], [45.0, 45.00001], [14.0, 14.0], sport="cycling"))
        commands = {
            "athlos": [sys.executable, "-m", "athlos", "inspect", "--from-points", "{}", "--json"],
            "gpxpy": [sys.executable, "-c", GPXPY_SCRIPT, "{}"],
        }
        best: dict[tuple[str, str], tuple[float, float]] = {}
        for _ in range(repeat):  # alternating, so both meet the same load from elsewhere
            for tool, argv in commands.items():
                for size, path in (("ride", ride_path), ("tiny", tiny_path)):
                    wall, cpu = command_times([str(path) if a == "{}" else a for a in argv])
                    old_wall, old_cpu = best.get((tool, size), (float("inf"), float("inf")))
                    best[tool, size] = (min(old_wall, wall), min(old_cpu, cpu))
                fresh = fresh_times(FRESH_SCRIPTS[tool], ride_path, tiny_path)
                old_wall, old_cpu = best.get((tool, "fresh"), (float("inf"), float("inf")))
                best[tool, "fresh"] = (min(old_wall, fresh[0]), min(old_cpu, fresh[1]))
    result: dict[str, object] = {"file": f"{name} as GPX", "points": points}
    work: dict[str, tuple[float, float]] = {}
    for tool in commands:
        (ride_wall, ride_cpu), (tiny_wall, tiny_cpu) = best[tool, "ride"], best[tool, "tiny"]
        work[tool] = (ride_wall - tiny_wall, ride_cpu - tiny_cpu)
        result[f"{tool}_command_s"] = round(ride_wall, 3)
        result[f"{tool}_command_cpu_s"] = round(ride_cpu, 3)
        result[f"{tool}_startup_s"] = round(tiny_wall, 3)
        result[f"{tool}_startup_cpu_s"] = round(tiny_cpu, 3)
        result[f"{tool}_work_s"] = round(work[tool][0], 4)
        result[f"{tool}_work_cpu_s"] = round(work[tool][1], 4)
    # Under heavy load from elsewhere the wall-clock difference can drown in noise: then no figure.
    ours, theirs = work["athlos"], work["gpxpy"]
    result["speedup_vs_gpxpy"] = round(theirs[0] / ours[0], 2) if ours[0] > 0 and theirs[0] > 0 else None
    result["cpu_speedup_vs_gpxpy"] = round(theirs[1] / ours[1], 2) if ours[1] > 0 else None
    for tool in commands:
        result[f"{tool}_fresh_process_work_s"] = round(best[tool, "fresh"][0], 4)
        result[f"{tool}_fresh_process_work_cpu_s"] = round(best[tool, "fresh"][1], 4)
    result["fresh_process_speedup_vs_gpxpy"] = round(
        best["gpxpy", "fresh"][0] / best["athlos", "fresh"][0], 2
    )
    result["goal"] = ">= 5x (start-up cancelled out)"
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--only", choices=["gpx", "inspect"], help="run only the GPX or the inspect comparison"
    )
    parser.add_argument("--bulk", type=int, default=1000)
    args = parser.parse_args()
    if args.only == "inspect":
        print(json.dumps({"machine": machine(), "inspect": inspect_command(args.repeat)}, indent=2))
        return

    fit_files = [p.read_bytes() for p in sorted(SHARED_TRACKS.glob("fit/*.fit"))]
    shared_gpx = [p.read_bytes() for p in sorted(SHARED_TRACKS.glob("gpx/*.gpx"))]
    made_gpx = [
        gpx_from_streams(activity.streams)
        for data in fit_files
        for activity in parse_bytes(data).activities
        if activity.streams.has_positions
    ]
    gpx_files = [data for data in shared_gpx + made_gpx if ours(data)]  # the ones that are activities
    gpx_points = sum(ours(data) for data in gpx_files)
    # Alternating runs, so both pipelines meet the same load from elsewhere.
    our_gpx = their_gpx = our_gpx_cpu = their_gpx_cpu = float("inf")
    for _ in range(args.repeat):
        wall, cpu = best_times(ours, gpx_files, 1)
        our_gpx, our_gpx_cpu = min(our_gpx, wall), min(our_gpx_cpu, cpu)
        wall, cpu = best_times(with_gpxpy, gpx_files, 1)
        their_gpx, their_gpx_cpu = min(their_gpx, wall), min(their_gpx_cpu, cpu)

    gpx_result = {
        "files": len(gpx_files),
        "points": gpx_points,
        "athlos_points_per_s": round(gpx_points / our_gpx),
        "gpxpy_points_per_s": round(gpx_points / their_gpx),
        "speedup_vs_gpxpy": round(their_gpx / our_gpx, 2),
        "athlos_points_per_cpu_s": round(gpx_points / our_gpx_cpu),
        "gpxpy_points_per_cpu_s": round(gpx_points / their_gpx_cpu),
        "cpu_speedup_vs_gpxpy": round(their_gpx_cpu / our_gpx_cpu, 2),
        "goal": ">= 5x",
    }
    if args.only == "gpx":
        print(json.dumps({"machine": machine(), "gpx": gpx_result}, indent=2))
        return

    fit_points = sum(ours(data) for data in fit_files)
    our_fit = best_time(ours, fit_files, args.repeat)
    bare_fit = best_time(bare_fitdecode, fit_files, args.repeat)

    everything = [
        p.read_bytes() for p in sorted(SHARED_TRACKS.glob("*/*")) if p.suffix in {".fit", ".gpx", ".tcx"}
    ]
    bulk = list(itertools.islice(itertools.cycle(everything), args.bulk))
    start = time.perf_counter()
    points = sum(ours(data) for data in bulk)
    bulk_seconds = time.perf_counter() - start

    print(
        json.dumps(
            {
                "machine": machine(),
                "gpx": gpx_result,
                "fit": {
                    "files": len(fit_files),
                    "points": fit_points,
                    "athlos_seconds": round(our_fit, 3),
                    "bare_fitdecode_seconds": round(bare_fit, 3),
                    "time_ratio_vs_fitdecode": round(our_fit / bare_fit, 2),
                    "athlos_points_per_s": round(fit_points / our_fit),
                    "goal": "<= 1.5x",
                },
                "bulk": {
                    "files": len(bulk),
                    "points": points,
                    "seconds": round(bulk_seconds, 2),
                    "files_per_s": round(len(bulk) / bulk_seconds, 1),
                    "processes": 1,
                },
                "inspect": inspect_command(args.repeat),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
