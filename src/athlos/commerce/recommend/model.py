"""The "For you" model: implicit-feedback ALS (the ``implicit`` library) over views, clicks, purchases
and owned gear, a content-based ranking for people with too little history (cold start), and the
popularity ranking it is measured against. Pure: arrays in, ranked item indexes and reasons out.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

import numpy as np

if TYPE_CHECKING:
    import scipy.sparse as sp  # imported where used: web processes that only read stored lists never need it

# How much each kind of signal says about a person's taste (summed over repeats, then log-damped).
WEIGHTS: Final = {"view": 1.0, "click": 3.0, "purchase": 8.0, "owned": 6.0}
# The strongest signal names the reason: owned > purchase > click > view.
KIND_RANK: Final = {"view": 1, "click": 2, "purchase": 3, "owned": 4}
KIND_OF_RANK: Final = {rank: kind for kind, rank in KIND_RANK.items()}
# People with fewer distinct products than this are ranked by content, not by the model.
MIN_HISTORY: Final = 3
TOP: Final = 10
BATCH: Final = 4096


@dataclass(frozen=True, slots=True)
class ItemFeatures:
    """What content-based ranking compares: a product's category, sports, terrain and cushioning."""

    category: str
    sports: tuple[str, ...]
    terrain: str | None
    cushioning: str | None


@dataclass(slots=True)
class Interactions:
    """Signals as parallel arrays: person index, product index, kind."""

    users: list[int] = field(default_factory=list)
    items: list[int] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)

    def add(self, user: int, item: int, kind: str) -> None:
        self.users.append(user)
        self.items.append(item)
        self.kinds.append(kind)


def confidence(interactions: Interactions, n_users: int, n_items: int) -> sp.csr_matrix:
    """People × products, each cell log(1 + summed weights)."""
    import scipy.sparse as sp

    weights = np.fromiter((WEIGHTS[k] for k in interactions.kinds), dtype=np.float32)
    matrix = sp.csr_matrix(
        (weights, (np.asarray(interactions.users), np.asarray(interactions.items))),
        shape=(n_users, n_items),
        dtype=np.float32,
    )
    matrix.sum_duplicates()
    matrix.data = np.log1p(matrix.data).astype(np.float32)
    return matrix


def strongest_kinds(interactions: Interactions, n_users: int, n_items: int) -> sp.csr_matrix:
    """People × products, each cell the rank of the strongest signal (``KIND_RANK``)."""
    import scipy.sparse as sp

    users, items = np.asarray(interactions.users), np.asarray(interactions.items)
    ranks = np.fromiter((KIND_RANK[k] for k in interactions.kinds), dtype=np.int8, count=len(users))
    best = sp.csr_matrix((n_users, n_items), dtype=np.int8)
    for rank in sorted(set(ranks.tolist())):
        pick = ranks == rank
        layer = sp.csr_matrix(
            (np.ones(int(pick.sum()), dtype=np.int8), (users[pick], items[pick])), shape=(n_users, n_items)
        )
        layer.sum_duplicates()
        layer.data[:] = rank
        best = best.maximum(layer)
    return best.tocsr()


@dataclass(frozen=True, slots=True)
class Factors:
    users: np.ndarray
    items: np.ndarray


def train_als(
    matrix: sp.csr_matrix,
    *,
    factors: int = 32,
    iterations: int = 15,
    regularization: float = 0.05,
    alpha: float = 4.0,
    seed: int = 15,
) -> Factors:
    """Fit ALS on the confidence matrix; deterministic for a seed (one thread)."""
    from implicit.als import AlternatingLeastSquares
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1, "blas"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # the BLAS thread advice: limited just above
        model = AlternatingLeastSquares(
            factors=factors,
            iterations=iterations,
            regularization=regularization,
            alpha=alpha,
            random_state=seed,
            num_threads=1,
        )
        model.fit(matrix, show_progress=False)
    return Factors(np.asarray(model.user_factors), np.asarray(model.item_factors))


def _top(scores: np.ndarray, n: int) -> np.ndarray:
    """The indexes of the ``n`` highest scores of each row, best first (ties by index)."""
    n = min(n, scores.shape[1])
    part = np.argpartition(-scores, n - 1, axis=1)[:, :n]
    picked = np.take_along_axis(scores, part, axis=1)
    order = np.lexsort((part, -picked), axis=1)
    return np.take_along_axis(part, order, axis=1)


def _masked(scores: np.ndarray, seen: sp.csr_matrix, rows: range, allowed: np.ndarray | None) -> np.ndarray:
    block = seen[rows.start : rows.stop]
    scores[block.nonzero()] = -np.inf
    if allowed is not None:
        scores[~allowed[rows.start : rows.stop]] = -np.inf
    return scores


def _batches(n: int) -> Iterator[range]:
    for start in range(0, n, BATCH):
        yield range(start, min(start + BATCH, n))


def _cut(top: np.ndarray, scores: np.ndarray) -> list[list[int]]:
    kept = np.take_along_axis(scores, top, axis=1) > -np.inf
    return [row[keep].tolist() for row, keep in zip(top, kept, strict=True)]


def rank_by_model(
    factors: Factors, seen: sp.csr_matrix, allowed: np.ndarray | None, n: int = TOP
) -> list[list[int]]:
    """Each person's ``n`` best products by the model, leaving out what they have seen and what is not
    sold in their country (``allowed``: people × products, True where sold)."""
    ranked: list[list[int]] = []
    for rows in _batches(seen.shape[0]):
        scores = factors.users[rows.start : rows.stop] @ factors.items.T
        scores = _masked(scores.astype(np.float64), seen, rows, allowed)
        ranked += _cut(_top(scores, n), scores)
    return ranked


def popularity(matrix: sp.csr_matrix) -> np.ndarray:
    """How many people had anything to do with each product."""
    return np.asarray((matrix > 0).sum(axis=0)).ravel().astype(np.float64)


def rank_by_popularity(
    counts: np.ndarray, seen: sp.csr_matrix, allowed: np.ndarray | None, n: int = TOP
) -> list[list[int]]:
    ranked: list[list[int]] = []
    for rows in _batches(seen.shape[0]):
        scores = np.tile(counts, (len(rows), 1))
        scores = _masked(scores, seen, rows, allowed)
        ranked += _cut(_top(scores, n), scores)
    return ranked


def feature_matrix(items: Sequence[ItemFeatures]) -> np.ndarray:
    """One row per product: one-hot category, terrain and cushioning, multi-hot sports, unit length."""
    vocabulary: dict[str, int] = {}
    cells: list[tuple[int, int]] = []
    for row, item in enumerate(items):
        words = [f"c:{item.category}", *(f"s:{s}" for s in item.sports)]
        words += [f"t:{item.terrain}"] if item.terrain else []
        words += [f"k:{item.cushioning}"] if item.cushioning else []
        cells += [(row, vocabulary.setdefault(word, len(vocabulary))) for word in words]
    matrix = np.zeros((len(items), max(len(vocabulary), 1)))
    for row, column in cells:
        matrix[row, column] = 1.0
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)


def sport_columns(items: Sequence[ItemFeatures], sports: Sequence[str]) -> np.ndarray:
    """Products × the given sports: 1 where the product is made for the sport."""
    return np.array([[1.0 if s in item.sports else 0.0 for s in sports] for item in items]).reshape(
        len(items), len(sports)
    )


def rank_by_content(
    features: np.ndarray,
    seen: sp.csr_matrix,
    counts: np.ndarray,
    favourite: np.ndarray,
    allowed: np.ndarray | None,
    n: int = TOP,
) -> list[list[int]]:
    """Cold start: products like those the person touched (their features, weighted by signal), and made
    for their favourite sports (``favourite``: people × products, 1 where a product suits one); the
    product's popularity breaks ties, so someone with nothing at all gets what is popular where they are."""
    taste = seen @ features  # people × features
    norms = np.linalg.norm(taste, axis=1, keepdims=True)
    taste = np.divide(taste, norms, out=np.zeros_like(taste), where=norms > 0)
    prior = np.log1p(counts) / max(float(np.log1p(counts).max()), 1.0)
    ranked: list[list[int]] = []
    for rows in _batches(seen.shape[0]):
        scores = taste[rows.start : rows.stop] @ features.T + 0.5 * favourite[rows.start : rows.stop]
        scores = _masked(scores + 0.2 * prior, seen, rows, allowed)
        ranked += _cut(_top(scores, n), scores)
    return ranked


def nearest_seen(factors: Factors, seen_items: Sequence[int], item: int) -> int | None:
    """The product among those a person touched that the model finds closest to ``item``."""
    if not seen_items:
        return None
    vectors = factors.items[list(seen_items)]
    target = factors.items[item]
    norms = np.linalg.norm(vectors, axis=1) * (np.linalg.norm(target) or 1.0)
    similarity = (vectors @ target) / np.where(norms > 0, norms, 1.0)
    return int(seen_items[int(np.argmax(similarity))])


def precision_recall(
    ranked: Sequence[Sequence[int]], held_out: Sequence[set[int]], k: int = TOP
) -> tuple[float, float]:
    """Mean precision@k and recall@k over the people who have held-out products."""
    precisions, recalls = [], []
    for top, truth in zip(ranked, held_out, strict=True):
        if not truth:
            continue
        hits = len(set(list(top)[:k]) & truth)
        precisions.append(hits / k)
        recalls.append(hits / len(truth))
    if not precisions:
        return 0.0, 0.0
    return float(np.mean(precisions)), float(np.mean(recalls))
