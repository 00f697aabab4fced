"""Demo data for measuring "For you": a made-up catalogue and people whose signals come from known
tastes. Pure and deterministic for a seed; ``docs/recommendations.md`` says how it is made and what a
model's score on it does and does not prove.

Each person belongs to a segment (road runner, trail runner, hiker, cyclist, ...). Their liking of a
product is the segment's affinity for its category, sports, terrain and cushioning, plus their own
latent taste against the product's latent traits, plus the product's general popularity, plus noise.
They touch the products they like most (Gumbel top-k sampling, so the order is random but weighted);
a share of what they touch is picked uniformly at random instead (pure noise). Each touched product is
a view; some become clicks, some purchases (owned gear), and some are gear they had already.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np

from athlos.commerce.recommend.model import Interactions, ItemFeatures

COUNTRIES: Final = ("DE", "AT", "CH", "FR", "ES", "IT", "NL", "GB", "US", "RU")
# Category, sports, terrain, cushioning choices.
KINDS: Final = (
    ("road_shoes", ("run",), "road", ("low", "medium", "high", "max")),
    ("road_shoes", ("run", "walk"), "road", ("medium", "high", "max")),
    ("trail_shoes", ("trail_run",), "trail", ("minimal", "low", "medium")),
    ("trail_shoes", ("trail_run", "hike"), "mixed", ("medium", "high")),
    ("track_shoes", ("run",), "track", ("minimal", "low")),
    ("bike", ("ride",), "road", (None,)),
    ("bike", ("ride",), "mixed", (None,)),
    ("bike_chain", ("ride",), None, (None,)),
    ("bike_tyres", ("ride",), "road", (None,)),
    ("skis", ("ski",), "snow", (None,)),
    ("apparel", ("run", "ride"), None, (None,)),
    ("accessory", ("ride", "run"), None, (None,)),
)
# Segment: share of people, affinity per category, sports they name as favourites.
SEGMENTS: Final = (
    (
        "road_runner",
        0.34,
        {"road_shoes": 2.0, "track_shoes": 0.6, "apparel": 0.8, "accessory": 0.4},
        ("run",),
    ),
    ("trail_runner", 0.18, {"trail_shoes": 2.2, "apparel": 0.8, "accessory": 0.5}, ("trail_run",)),
    ("hiker", 0.12, {"trail_shoes": 1.6, "road_shoes": 0.4, "apparel": 0.6}, ("hike", "walk")),
    ("cyclist", 0.22, {"bike": 1.8, "bike_chain": 1.6, "bike_tyres": 1.8, "accessory": 0.8}, ("ride",)),
    ("skier", 0.06, {"skis": 2.4, "apparel": 1.0}, ("ski",)),
    ("sprinter", 0.08, {"track_shoes": 2.4, "road_shoes": 1.0}, ("run",)),
)
# Segments' liking of terrain and cushioning, on top of the category.
TERRAIN_TASTE: Final = {
    "road_runner": {"road": 0.6},
    "trail_runner": {"trail": 0.8, "mixed": 0.3},
    "hiker": {"mixed": 0.9, "trail": 0.3},
    "cyclist": {"road": 0.3, "mixed": 0.3},
    "skier": {"snow": 0.5},
    "sprinter": {"track": 0.8},
}
CUSHION_TASTE: Final = {
    "road_runner": {"high": 0.4, "max": 0.3, "medium": 0.2},
    "trail_runner": {"low": 0.3, "medium": 0.3},
    "hiker": {"high": 0.5},
    "sprinter": {"minimal": 0.5, "low": 0.4},
}
LATENT: Final = 6


@dataclass(frozen=True, slots=True)
class DemoData:
    items: list[ItemFeatures]
    # Products × countries: sold there.
    sold: np.ndarray
    people_country: np.ndarray  # index into COUNTRIES
    people_segment: np.ndarray
    favourite_sports: list[tuple[str, ...]]
    interactions: Interactions

    @property
    def n_people(self) -> int:
        return len(self.people_country)


def _products(
    rng: np.random.Generator, n: int
) -> tuple[list[ItemFeatures], np.ndarray, np.ndarray, np.ndarray]:
    items = []
    for index in range(n):
        category, sports, terrain, cushions = KINDS[index % len(KINDS)]
        items.append(ItemFeatures(category, sports, terrain, cushions[int(rng.integers(len(cushions)))]))
    latent = rng.normal(0.0, 1.0, size=(n, LATENT))
    popular = rng.lognormal(0.0, 1.0, size=n)
    sold = rng.random((n, len(COUNTRIES))) > 0.15
    return items, latent, np.log(popular), sold


def _affinity(items: list[ItemFeatures]) -> np.ndarray:
    """Segments × products: how much each segment likes each product by its attributes."""
    table = np.zeros((len(SEGMENTS), len(items)))
    for s, (name, _, categories, _) in enumerate(SEGMENTS):
        for i, item in enumerate(items):
            table[s, i] = (
                categories.get(item.category, -1.0)
                + TERRAIN_TASTE.get(name, {}).get(item.terrain or "", 0.0)
                + CUSHION_TASTE.get(name, {}).get(item.cushioning or "", 0.0)
            )
    return table


def generate(
    *, people: int = 3000, products: int = 400, seed: int = 15, noise: float = 0.15, mean_touches: float = 9.0
) -> DemoData:
    """People's signals on products; the same arguments give the same data."""
    rng = np.random.default_rng(seed)
    items, latent, log_popular, sold = _products(rng, products)
    affinity = _affinity(items)
    shares = np.array([segment[1] for segment in SEGMENTS])
    segment = rng.choice(len(SEGMENTS), size=people, p=shares / shares.sum())
    country = rng.integers(len(COUNTRIES), size=people)
    taste = rng.normal(0.0, 0.7, size=(people, LATENT))
    touches = np.minimum(
        rng.poisson(mean_touches, size=people) + rng.integers(0, 3, size=people), products // 2
    )
    favourites: list[tuple[str, ...]] = [SEGMENTS[s][3] if rng.random() < 0.7 else () for s in segment]
    signals = Interactions()
    for start in range(0, people, 2000):
        rows = np.arange(start, min(start + 2000, people))
        utility = 1.5 * affinity[segment[rows]] + taste[rows] @ latent.T / np.sqrt(LATENT) + 0.8 * log_popular
        utility = np.where(sold[:, country[rows]].T, utility, utility - 3.0)
        gumbel = rng.gumbel(size=utility.shape)
        order = np.argsort(-(utility + gumbel), axis=1)
        for offset, person in enumerate(rows):
            count = int(touches[person])
            liked = order[offset, :count].tolist()
            noisy = rng.random(count) < noise
            chosen: list[int] = []
            for item, random_pick in zip(liked, noisy, strict=True):
                pick = int(rng.integers(products)) if random_pick else item
                if pick not in chosen:
                    chosen.append(pick)
            for item in chosen:
                signals.add(int(person), item, "view")
                roll = rng.random()
                if roll < 0.35:
                    signals.add(int(person), item, "click")
                if roll < 0.10:
                    signals.add(int(person), item, "purchase")
                    signals.add(int(person), item, "owned")
                elif rng.random() < 0.05:
                    signals.add(int(person), item, "owned")
    return DemoData(items, sold, country, segment, favourites, signals)
