"""Measuring "For you" on demo data: a held-out split of each person's products, the served ranking
(the model for people with history, content-based for the rest) against the popularity ranking.
Pure and deterministic for a seed."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from athlos.commerce.recommend import model
from athlos.commerce.recommend.demo import DemoData, generate
from athlos.commerce.recommend.model import Interactions


@dataclass(frozen=True, slots=True)
class Split:
    train: Interactions
    held_out: list[set[int]]


def split(data: DemoData, *, share: float = 0.2, seed: int = 15) -> Split:
    """Hold out ``share`` of each person's distinct products (every signal on them), at least one from
    people with four products or more; people with fewer keep everything for training."""
    rng = np.random.default_rng(seed + 1)
    products: list[list[int]] = [[] for _ in range(data.n_people)]
    signals = data.interactions
    for user, item in zip(signals.users, signals.items, strict=True):
        if item not in products[user]:
            products[user].append(item)
    held_out: list[set[int]] = []
    for touched in products:
        if len(touched) < 4:
            held_out.append(set())
            continue
        count = max(1, round(share * len(touched)))
        held_out.append({int(i) for i in rng.choice(touched, size=count, replace=False)})
    train = Interactions()
    for user, item, kind in zip(signals.users, signals.items, signals.kinds, strict=True):
        if item not in held_out[user]:
            train.add(user, item, kind)
    return Split(train, held_out)


def served_ranking(data: DemoData, train: Interactions) -> tuple[list[list[int]], list[list[int]]]:
    """(the served ranking, the popularity ranking), both leaving out what each person has seen and
    what is not sold in their country."""
    n_users, n_items = data.n_people, len(data.items)
    matrix = model.confidence(train, n_users, n_items)
    allowed = data.sold[:, data.people_country].T
    counts = model.popularity(matrix)
    factors = model.train_als(matrix)
    by_model = model.rank_by_model(factors, matrix, allowed)
    sports = sorted({sport for item in data.items for sport in item.sports})
    suits = model.sport_columns(data.items, sports)
    liked = np.array([[1.0 if s in fav else 0.0 for s in sports] for fav in data.favourite_sports])
    favourite = np.minimum(liked @ suits.T, 1.0)
    by_content = model.rank_by_content(model.feature_matrix(data.items), matrix, counts, favourite, allowed)
    history = np.diff(matrix.indptr)
    served = [
        m if h >= model.MIN_HISTORY else c for m, c, h in zip(by_model, by_content, history, strict=True)
    ]
    return served, model.rank_by_popularity(counts, matrix, allowed)


def evaluate(*, people: int = 3000, products: int = 400, seed: int = 15) -> dict[str, Any]:
    """Precision@10 and recall@10 of the served ranking and of popularity on the held-out products."""
    started = time.perf_counter()
    data = generate(people=people, products=products, seed=seed)
    parts = split(data, seed=seed)
    served, popular = served_ranking(data, parts.train)
    p_model, r_model = model.precision_recall(served, parts.held_out)
    p_pop, r_pop = model.precision_recall(popular, parts.held_out)
    return {
        "model": {
            "precision_at_10": round(p_model, 4),
            "recall_at_10": round(r_model, 4),
            "kind": "als+content",
        },
        "popularity": {"precision_at_10": round(p_pop, 4), "recall_at_10": round(r_pop, 4)},
        "data": {
            "people": people,
            "products": products,
            "seed": seed,
            "signals": len(data.interactions.users),
            "people_evaluated": sum(1 for truth in parts.held_out if truth),
        },
        "seconds": round(time.perf_counter() - started, 2),
    }
