"""How well totals computed from points match what the devices recorded; prints JSON.

For every session of every shared device file with totals (``tracks/`` and the unseen ``validation/``):
its positioned records written as a GPX (points only), read back and summarized from points, against
the device's session totals — ours and gpxpy's on the same GPX; a sport without GPS (a pool swim, an
indoor ride on a virtual map) from its FIT records, gpxpy on the GPX of its positions if it has any
(see ``tests/activities/accuracy.py``).
Tolerances: distance 1 %, moving time 3 %, ascent 10 % (where the device climbed 50 m or more).

Run: ``python bench/bench_accuracy.py [--only NAME-SUBSTRING]``. Figures, not asserts.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.activities.accuracy import (
    FOLDERS,
    METRICS,
    TOLERANCES,
    Session,
    comparable,
    compare,
    from_points,
    sessions,
)


def row(session: Session) -> dict[str, Any]:
    setting, summary, _ = from_points(session)
    out: dict[str, Any] = {"session": session.id, "sport": summary["sport"], "setting": setting}
    for metric in METRICS:
        if comparable(session, metric) is not None:
            continue
        c = compare(session, metric)
        theirs = c.gpxpy_error
        out[metric] = {
            "device": c.device,
            "athlos": round(c.athlos, 1),
            "gpxpy": None if c.gpxpy is None else round(c.gpxpy, 1),
            "athlos_error": round(c.athlos_error, 4),
            "gpxpy_error": None if theirs is None else round(theirs, 4),
            "athlos_ok": c.within(TOLERANCES[metric]),
            "gpxpy_ok": theirs is not None and abs(theirs) <= TOLERANCES[metric],
            "not_worse_than_gpxpy": c.not_worse_than_gpxpy(TOLERANCES[metric]),
        }
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", help="only sessions whose name contains this")
    args = parser.parse_args()
    rows = [row(s) for folder in FOLDERS for s in sessions(folder) if not args.only or args.only in s.id]
    counts = {}
    for metric in METRICS:
        cells = [r[metric] for r in rows if metric in r]
        counts[metric] = {
            "compared": len(cells),
            "athlos_ok": sum(c["athlos_ok"] for c in cells),
            "gpxpy_compared": sum(c["gpxpy"] is not None for c in cells),
            "gpxpy_ok": sum(c["gpxpy_ok"] for c in cells),
            "athlos_worse_than_gpxpy": sum(not c["not_worse_than_gpxpy"] for c in cells),
        }
    print(json.dumps({"tolerances": TOLERANCES, "counts": counts, "sessions": rows}, indent=1))


if __name__ == "__main__":
    main()
