import json
import subprocess
import sys
from pathlib import Path

import numpy as np

from tests.activities.tracks import gpx_document, line_track

ATHLOS = Path(sys.executable).parent / "athlos"
KEYS = {"sport", "start_time", "distance_m", "elapsed_time_s", "moving_time_s", "elevation_gain_m",
        "avg_heart_rate", "max_heart_rate", "calories", "points", "source", "warnings"}  # fmt: skip


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(ATHLOS), "inspect", *args], capture_output=True, text=True, timeout=60)


def test_inspect_prints_one_summary_per_activity(tmp_path: Path) -> None:
    time, lat, lon = line_track([3.0] * 600)
    path = tmp_path / "run.gpx"
    path.write_bytes(gpx_document(time, lat, lon, heart_rate=np.full(time.shape, 150.0)))
    done = run(str(path), "--from-points", "--json")
    assert done.returncode == 0, done.stderr
    (summary,) = json.loads(done.stdout)
    assert set(summary) >= KEYS
    assert summary["sport"] == "run"
    assert summary["source"] == "computed"
    assert summary["start_time"] == "2024-05-04T07:30:00Z"
    assert 1780 < summary["distance_m"] < 1820
    assert summary["avg_heart_rate"] == 150.0


def test_inspect_refusal_is_a_problem_on_stderr(tmp_path: Path) -> None:
    path = tmp_path / "notes.gpx"
    path.write_text("just some text")
    done = run(str(path), "--json")
    assert done.returncode == 2
    assert done.stdout == ""
    problem = json.loads(done.stderr)
    assert problem["code"] == "unsupported_format"
    assert problem["status"] == 422


def test_inspect_of_a_gpx_starts_lean(tmp_path: Path) -> None:
    # What only a server or a FIT file needs stays unloaded: the command starts in a fraction of the time.
    time, lat, lon = line_track([3.0] * 60)
    path = tmp_path / "run.gpx"
    path.write_bytes(gpx_document(time, lat, lon))
    heavy = ("athlos.settings", "pydantic_settings", "sqlalchemy", "fastapi", "fitdecode", "numpy.ma")
    script = (
        "import runpy, sys\n"
        f"sys.argv = ['athlos', 'inspect', {str(path)!r}, '--from-points', '--json']\n"
        "try:\n    runpy.run_module('athlos', run_name='__main__')\nexcept SystemExit:\n    pass\n"
        f"print([m for m in {heavy!r} if m in sys.modules], file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert json.loads(done.stdout)[0]["points"] == 61
    assert done.stderr.strip() == "[]"


def test_inspect_help_and_mistakes_still_come_from_the_parser(tmp_path: Path) -> None:
    assert "--from-points" in run("--help").stdout
    missing = run(str(tmp_path / "missing.gpx"), "--json")
    assert missing.returncode == 2
    assert "does not exist" in missing.stderr
    time, lat, lon = line_track([3.0] * 60)
    path = tmp_path / "run.gpx"
    path.write_bytes(gpx_document(time, lat, lon))
    assert run(str(path), "--no-such-option").returncode == 2
