"""Reading export archives: how fast and in how little memory the workouts of an Apple Health
``export.xml`` are streamed out of its ZIP, and how fast a Strava ``activities.csv`` is read; prints JSON.

The Apple Health export is synthetic but shaped like a real one (a DTD, heart-rate ``<Record>`` rows making
up nearly all of it, workouts with statistics and routes among them), written straight into a ZIP on disk
so the benchmark itself never holds it. Peak memory is the most Python holds at once while reading
(tracemalloc), which shows that the file is never held whole.

Run: ``python bench/bench_exports.py [--records 2000000] [--workouts 3000] [--rows 5000]``.
Figures, not asserts.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
import tracemalloc
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.activities.test_apple_health import DOCTYPE, apple_date, run_workout
from tests.activities.test_strava_archive import activities_csv, row
from tests.activities.tracks import T0

from athlos.activities.importers.strava_archive import read_activities_csv
from athlos.activities.uploads.archives import MAX_ARCHIVE_MEMBERS, _apple_items


def write_export(path: Path, records: int, workouts: int) -> int:
    """A ZIP with ``apple_health_export/export.xml``; the XML's size in bytes."""
    every = max(1, records // max(1, workouts))
    size = 0
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("apple_health_export/export.xml", "w", force_zip64=True) as out,
    ):

        def put(text: str) -> None:
            nonlocal size
            data = text.encode()
            size += len(data)
            out.write(data)

        put(f'<?xml version="1.0" encoding="UTF-8"?>\n{DOCTYPE}\n<HealthData locale="en_GB">')
        put('<ExportDate value="2024-06-01 10:00:00 +0100"/><Me HKCharacteristicTypeIdentifierSex="x"/>')
        chunk: list[str] = []
        done = 0
        for i in range(records):
            stamp = apple_date(T0 + i * 5)
            chunk.append(
                '<Record type="HKQuantityTypeIdentifierHeartRate" sourceName="Watch" '
                f'sourceVersion="10.1" device="&lt;&lt;HKDevice&gt;&gt;" unit="count/min" '
                f'creationDate="{stamp}" startDate="{stamp}" endDate="{stamp}" value="{60 + i % 100}">'
                '<MetadataEntry key="HKMetadataKeyHeartRateMotionContext" value="0"/></Record>\n'
            )
            if i % every == 0 and done < workouts:
                chunk.append(run_workout(T0 + i * 5, route=f"/workout-routes/route_{done}.gpx"))
                done += 1
            if len(chunk) >= 10_000:
                put("".join(chunk))
                chunk = []
        put("".join(chunk) + "</HealthData>\n")
    return size


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=2_000_000)
    parser.add_argument("--workouts", type=int, default=3000)
    parser.add_argument("--rows", type=int, default=5000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        archive = Path(folder) / "export.zip"
        xml_bytes = write_export(archive, args.records, min(args.workouts, MAX_ARCHIVE_MEMBERS))
        zip_bytes = archive.stat().st_size
        started = time.perf_counter()
        workouts, _ = _apple_items(archive, "apple_health_export/export.xml")
        seconds = time.perf_counter() - started
        # Memory on a second read: what Python allocates at the most while streaming (tracing slows it).
        tracemalloc.start()
        _apple_items(archive, "apple_health_export/export.xml")
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()

    rows = [
        row(str(i), "May 4, 2024, 7:30:00 AM", f"Run {i}", "Run", f"activities/{i}.fit.gz")
        for i in range(args.rows)
    ]
    listing = activities_csv(*rows)
    started = time.perf_counter()
    parsed, _ = read_activities_csv(listing, max_rows=args.rows)
    csv_seconds = time.perf_counter() - started

    print(
        json.dumps(
            {
                "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
                "apple_health": {
                    "export_xml_mb": round(xml_bytes / 1e6, 1),
                    "zip_mb": round(zip_bytes / 1e6, 1),
                    "records": args.records,
                    "workouts_found": len(workouts),
                    "seconds": round(seconds, 2),
                    "xml_mb_per_s": round(xml_bytes / 1e6 / seconds, 1),
                    "records_per_s": round(args.records / seconds),
                    "peak_python_memory_mb": round(peak / 1e6, 1),
                },
                "strava_csv": {
                    "rows": len(parsed),
                    "csv_kb": round(len(listing) / 1e3, 1),
                    "seconds": round(csv_seconds, 3),
                    "rows_per_s": round(len(parsed) / csv_seconds),
                },
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
