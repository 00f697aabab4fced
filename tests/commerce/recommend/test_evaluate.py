"""``athlos recommend evaluate``: on demo data from a fresh checkout (no database, no shared data) the
served model beats popularity on precision@10 and recall@10, with the same figures every run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from athlos.commerce.recommend import model
from athlos.commerce.recommend.demo import generate
from athlos.commerce.recommend.evaluation import evaluate, split

ROOT = Path(__file__).resolve().parents[3]


def test_evaluate_json_has_the_shape_and_the_model_beats_popularity(tmp_path: Path) -> None:
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("ATHLOS_") and name not in ("PYTHONPATH",)
    }
    env["PYTHONPATH"] = str(ROOT / "src")
    done = subprocess.run(
        [sys.executable, "-m", "athlos", "recommend", "evaluate", "--json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,  # nothing but the code: no database, no ../shared
        env=env,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    assert set(figures) >= {"model", "popularity"}
    for name in ("model", "popularity"):
        assert set(figures[name]) >= {"precision_at_10", "recall_at_10"}
        assert all(isinstance(figures[name][key], float) for key in ("precision_at_10", "recall_at_10"))
    assert figures["model"]["precision_at_10"] > figures["popularity"]["precision_at_10"]
    assert figures["model"]["recall_at_10"] > figures["popularity"]["recall_at_10"]
    assert not list(tmp_path.iterdir())  # it wrote nothing


def test_the_same_seed_gives_the_same_figures() -> None:
    first = evaluate(people=600, products=120, seed=3)
    second = evaluate(people=600, products=120, seed=3)
    assert (first["model"], first["popularity"]) == (second["model"], second["popularity"])


def test_held_out_products_are_not_trained_on() -> None:
    data = generate(people=300, products=80, seed=5)
    parts = split(data, seed=5)
    trained = set(zip(parts.train.users, parts.train.items, strict=True))
    assert any(parts.held_out)
    for person, truth in enumerate(parts.held_out):
        assert not {(person, item) for item in truth} & trained


def test_rankings_leave_out_seen_and_unsold_products() -> None:
    data = generate(people=200, products=60, seed=7)
    matrix = model.confidence(data.interactions, data.n_people, len(data.items))
    allowed = data.sold[:, data.people_country].T
    ranked = model.rank_by_popularity(model.popularity(matrix), matrix, allowed)
    for person, top in enumerate(ranked):
        seen = set(matrix[person].indices.tolist())
        assert not seen & set(top)
        assert all(allowed[person, item] for item in top)
