"""Recommendations: product views recorded, the model trained from everyone's signals into one stored
list per person (served with one read), the cold start for newcomers, the schedule of the worker's
trainings, and replacements for worn gear. Services only ``flush()``."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Final

import numpy as np
from sqlalchemy import delete, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.accounts.profiles.service import places_and_sports
from athlos.activities.service import usage_figures
from athlos.commerce.catalog.models import Product, ProductOffer
from athlos.commerce.catalog.service import GEAR_KINDS
from athlos.commerce.recommend import model, replacement
from athlos.commerce.recommend.models import ProductView, Recommendation, Training
from athlos.commerce.shop import service as shop_service
from athlos.commerce.shop.models import ShopClick, ShopConversion
from athlos.core.db import utcnow
from athlos.core.events import emit
from athlos.gear import service as gear

FOR_YOU: Final = "for_you"
REPLACEMENT: Final = "gear_replacement"
TRAINING_DUE: Final = "commerce.recommend_training_due"
# How often the worker trains again, and how soon after the first signal it trains at all.
RETRAIN_EVERY: Final = timedelta(hours=24)
FIRST_TRAINING_AFTER: Final = timedelta(minutes=10)
WRITE_CHUNK: Final = 1000


def _upsert(session: AsyncSession):  # type: ignore[no-untyped-def]
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


async def record_view(session: AsyncSession, owner_id: uuid.UUID, product_id: str) -> None:
    """Count a look at a product's page: one upsert of the person's counter, no event."""
    now = utcnow()
    statement = _upsert(session)(ProductView).values(
        owner_id=owner_id, product_id=product_id, views=1, last_viewed_at=now
    )
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=["owner_id", "product_id"],
            set_={"views": ProductView.views + 1, "last_viewed_at": now},
        )
    )


# --- the catalogue and the signals -----------------------------------------------------------------


@dataclass(slots=True)
class Catalogue:
    ids: list[str]
    labels: list[str]
    categories: list[str]
    features: list[model.ItemFeatures]
    sold: dict[str, np.ndarray]  # country → products sold and in stock there

    def allowed(self, countries: list[str]) -> np.ndarray:
        everywhere = np.ones(len(self.ids), dtype=bool)
        return np.array([self.sold.get(c, everywhere) for c in countries]).reshape(
            len(countries), len(self.ids)
        )


async def catalogue(session: AsyncSession) -> Catalogue:
    """The products on sale (retired ones left out), and where each is in stock."""
    products = list(
        await session.scalars(select(Product).where(Product.retired_at.is_(None)).order_by(Product.id))
    )
    index = {p.id: n for n, p in enumerate(products)}
    sold: dict[str, np.ndarray] = {}
    offers = await session.execute(
        select(ProductOffer.country, ProductOffer.product_id).where(ProductOffer.available.is_(True))
    )
    for country, product_id in offers:
        if product_id in index:
            sold.setdefault(country, np.zeros(len(products), dtype=bool))[index[product_id]] = True
    return Catalogue(
        ids=[p.id for p in products],
        labels=[f"{p.brand} {p.name}" for p in products],
        categories=[p.category for p in products],
        features=[
            model.ItemFeatures(p.category, tuple(p.sports or ()), p.terrain, p.cushioning) for p in products
        ],
        sold=sold,
    )


async def signals(session: AsyncSession) -> list[tuple[uuid.UUID, str, str]]:
    """(person, product, kind) for every view, click, purchase and owned gear item."""
    found: list[tuple[uuid.UUID, str, str]] = []
    views = await session.execute(select(ProductView.owner_id, ProductView.product_id, ProductView.views))
    for owner_id, product_id, count in views:
        found += [(owner_id, product_id, "view")] * min(int(count), 5)
    clicks = await session.execute(
        select(ShopClick.user_id, ShopClick.product_id).where(ShopClick.user_id.is_not(None))
    )
    found += [(user_id, product_id, "click") for user_id, product_id in clicks if user_id]
    bought = await session.execute(
        select(ShopConversion.user_id, ShopConversion.product_id).where(ShopConversion.user_id.is_not(None))
    )
    found += [(user_id, product_id, "purchase") for user_id, product_id in bought if user_id]
    found += [(owner_id, product_id, "owned") for owner_id, product_id in await gear.owned_products(session)]
    return found


def _favourites(items: list[model.ItemFeatures], people_sports: list[list[str]]) -> np.ndarray:
    sports = sorted({s for item in items for s in item.sports})
    if not sports:
        return np.zeros((len(people_sports), len(items)))
    suits = model.sport_columns(items, sports)
    liked = np.array([[1.0 if s in mine else 0.0 for s in sports] for mine in people_sports])
    return np.minimum(liked.reshape(len(people_sports), len(sports)) @ suits.T, 1.0)


def _entry(shop: Catalogue, item: int, reason: dict[str, Any]) -> dict[str, Any]:
    return {
        "product_id": shop.ids[item],
        "label": shop.labels[item],
        "category": shop.categories[item],
        "reason": reason,
    }


def _content_reason(shop: Catalogue, item: int, sports: list[str], country: str) -> dict[str, Any]:
    matching = [s for s in sports if s in shop.features[item].sports]
    if matching:
        return {"code": "for_sport", "sport": matching[0]}
    return {"code": "popular_here", "country": country} if country else {"code": "popular"}


@dataclass(frozen=True, slots=True)
class Lists:
    people: list[uuid.UUID]
    kinds: list[str]
    items: list[list[dict[str, Any]]]
    figures: dict[str, Any]


def compute(
    shop: Catalogue,
    found: list[tuple[uuid.UUID, str, str]],
    places: dict[uuid.UUID, tuple[str, list[str], float | None]],
) -> Lists:
    """Everyone's list: the model for people with enough history, content-based for the others."""
    started = time.perf_counter()
    index = {product_id: n for n, product_id in enumerate(shop.ids)}
    people = sorted({person for person, product_id, _ in found if product_id in index})
    rows = {person: n for n, person in enumerate(people)}
    signals_in = model.Interactions()
    for person, product_id, kind in found:
        if product_id in index:
            signals_in.add(rows[person], index[product_id], kind)
    n_users, n_items = len(people), len(shop.ids)
    if not n_users or not n_items:
        return Lists([], [], [], {"people": 0, "products": n_items, "signals": 0, "seconds": 0.0})
    matrix = model.confidence(signals_in, n_users, n_items)
    strongest = model.strongest_kinds(signals_in, n_users, n_items)
    countries = [places.get(p, ("", [], None))[0] for p in people]
    sports = [places.get(p, ("", [], None))[1] for p in people]
    allowed = shop.allowed(countries)
    counts = model.popularity(matrix)
    by_content = model.rank_by_content(
        model.feature_matrix(shop.features), matrix, counts, _favourites(shop.features, sports), allowed
    )
    history = np.diff(matrix.indptr)
    trained = n_items >= 2 and int((history >= model.MIN_HISTORY).sum()) >= 2
    factors = model.train_als(matrix, factors=min(32, max(n_items - 1, 1))) if trained else None
    by_model = model.rank_by_model(factors, matrix, allowed) if factors is not None else by_content
    kinds, lists = [], []
    for row in range(n_users):
        seen = matrix[row].indices.tolist()
        if factors is not None and history[row] >= model.MIN_HISTORY:
            entries = []
            for item in by_model[row]:
                near = model.nearest_seen(factors, seen, item)
                rank = int(strongest[row, near]) if near is not None else 1
                reason = {"code": "like_" + model.KIND_OF_RANK[rank], "product": shop.labels[near or 0]}
                entries.append(_entry(shop, item, reason))
            kinds.append("model")
        else:
            entries = [
                _entry(shop, i, _content_reason(shop, i, sports[row], countries[row]))
                for i in by_content[row]
            ]
            kinds.append("content")
        lists.append(entries)
    figures = {
        "people": n_users,
        "products": n_items,
        "signals": len(signals_in.users),
        "model_people": kinds.count("model"),
        "seconds": round(time.perf_counter() - started, 3),
    }
    return Lists(people, kinds, lists, figures)


async def store(session: AsyncSession, lists: Lists) -> None:
    """Replace everyone's stored lists by these, a thousand rows a statement."""
    await session.execute(delete(Recommendation))
    now = utcnow()
    rows = [
        {"owner_id": person, "kind": kind, "items": items, "computed_at": now}
        for person, kind, items in zip(lists.people, lists.kinds, lists.items, strict=True)
    ]
    for start in range(0, len(rows), WRITE_CHUNK):
        await session.execute(insert(Recommendation), rows[start : start + WRITE_CHUNK])


async def _train_everyone(session: AsyncSession) -> dict[str, Any]:
    started = time.perf_counter()
    shop = await catalogue(session)
    found = await signals(session)
    places = await places_and_sports(session, sorted({person for person, _, _ in found}))
    lists = compute(shop, found, places)
    await store(session, lists)
    return {**lists.figures, "seconds": round(time.perf_counter() - started, 3)}


async def train(session: AsyncSession) -> dict[str, Any]:
    """Train now on everyone's signals and store everyone's list (``athlos recommend train``); the
    worker's next training stays planned, or is planned."""
    figures = await _train_everyone(session)
    now = utcnow()
    session.add(Training(state="done", due_at=now, finished_at=now, figures=figures))
    await session.flush()
    await schedule(session, RETRAIN_EVERY)
    return figures


# --- the worker's schedule -------------------------------------------------------------------------


async def schedule(session: AsyncSession, after: timedelta) -> None:
    """Make the worker train ``after`` from now, unless a training is due already."""
    if await session.scalar(select(func.count()).where(Training.state == "due")):
        return
    due = Training(state="due", due_at=utcnow() + after, figures={})
    session.add(due)
    await session.flush()
    emit(session, TRAINING_DUE, due.id, {"training_id": str(due.id), "due_at": due.due_at.isoformat()})


async def due_training(session: AsyncSession, training_id: uuid.UUID) -> Training | None:
    training = await session.get(Training, training_id)
    return training if training is not None and training.state == "due" else None


async def run_due(session: AsyncSession, training: Training) -> dict[str, Any]:
    """The due training runs: everyone's lists, its figures kept, and the next one planned."""
    training.figures = await _train_everyone(session)
    training.state = "done"
    training.finished_at = utcnow()
    await session.flush()
    await schedule(session, RETRAIN_EVERY)
    return training.figures


# --- reading ----------------------------------------------------------------------------------------


async def cold_start(session: AsyncSession, owner_id: uuid.UUID) -> Recommendation:
    """A newcomer's list from what they own and looked at and their favourite sports, else what is
    popular in their country; stored, so the next read is one read."""
    shop = await catalogue(session)
    found = await signals_of(session, owner_id)
    places = await places_and_sports(session, [owner_id])
    country, sports, _ = places.get(owner_id, ("", [], None))
    index = {product_id: n for n, product_id in enumerate(shop.ids)}
    mine = model.Interactions()
    for _, product_id, kind in found:
        if product_id in index:
            mine.add(0, index[product_id], kind)
    items: list[dict[str, Any]] = []
    if shop.ids:
        matrix = model.confidence(mine, 1, len(shop.ids))
        counts = await _popularity(session, shop)
        ranked = model.rank_by_content(
            model.feature_matrix(shop.features),
            matrix,
            counts,
            _favourites(shop.features, [sports]),
            shop.allowed([country]),
        )[0]
        items = [_entry(shop, i, _content_reason(shop, i, sports, country)) for i in ranked]
    values = {"owner_id": owner_id, "kind": "content", "items": items, "computed_at": utcnow()}
    statement = _upsert(session)(Recommendation).values(**values)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=["owner_id"],
            set_={"kind": "content", "items": items, "computed_at": values["computed_at"]},
        )
    )
    row = await session.get(Recommendation, owner_id, populate_existing=True)
    assert row is not None
    return row


async def _popularity(session: AsyncSession, shop: Catalogue) -> np.ndarray:
    counts = np.zeros(len(shop.ids))
    index = {product_id: n for n, product_id in enumerate(shop.ids)}
    rows = await session.execute(
        select(ProductView.product_id, func.count()).group_by(ProductView.product_id)
    )
    for product_id, count in rows:
        if product_id in index:
            counts[index[product_id]] = float(count)
    return counts


async def signals_of(session: AsyncSession, owner_id: uuid.UUID) -> list[tuple[uuid.UUID, str, str]]:
    views = await session.scalars(select(ProductView.product_id).where(ProductView.owner_id == owner_id))
    clicks = await session.scalars(select(ShopClick.product_id).where(ShopClick.user_id == owner_id))
    owned = [p for o, p in await gear.owned_products(session) if o == owner_id]
    return [
        *((owner_id, p, "view") for p in views),
        *((owner_id, p, "click") for p in clicks),
        *((owner_id, p, "owned") for p in owned),
    ]


async def for_you(session: AsyncSession, owner_id: uuid.UUID) -> Recommendation:
    """The person's own list: one read of what the last training stored (the cold start the first
    time there is none). Only ever the asker's: there is no way to ask for someone else's."""
    row = await session.get(Recommendation, owner_id)
    if row is not None:
        return row
    await schedule(session, FIRST_TRAINING_AFTER)
    return await cold_start(session, owner_id)


async def shown(
    session: AsyncSession, owner_id: uuid.UUID, items: list[Any], placement: str = FOR_YOU
) -> None:
    """Count the links to the shop a page shows (the funnel's "shown")."""
    if items:
        await shop_service.record_shown(session, owner_id, placement, count=len(items))


# --- replacements -----------------------------------------------------------------------------------


def _candidate(product: Product, sold_here: bool) -> replacement.Candidate:
    return replacement.Candidate(
        id=product.id,
        label=f"{product.brand} {product.name}",
        category=product.category,
        sports=tuple(product.sports or ()),
        terrain=product.terrain,
        cushioning=product.cushioning,
        drop_mm=product.drop_mm,
        weight_g=product.weight_g,
        lifespan_km=product.lifespan_km,
        successor_id=product.successor_id,
        retired=product.retired_at is not None,
        sold_here=sold_here,
    )


@dataclass(frozen=True, slots=True)
class Replacements:
    view: gear.GearView
    usage: replacement.Usage
    country: str
    choices: list[replacement.Choice]


async def replacements(session: AsyncSession, owner_id: uuid.UUID, gear_id: uuid.UUID) -> Replacements:
    """What could replace the owner's item (404 ``gear_not_found`` for anyone else's)."""
    view = await gear.view_of(session, await gear.owned_gear(session, owner_id, gear_id))
    country, _, weight = (await places_and_sports(session, [owner_id])).get(owner_id, ("", [], None))
    rows = await usage_figures(session, owner_id, await gear.activities_of(session, owner_id, gear_id))
    usage = replacement.usage_of(
        [
            replacement.Activity(
                r.sport,
                r.start_time,
                float(r.distance_m or 0.0),
                float(r.moving_time_s or r.elapsed_time_s or 0.0),
                r.elevation_gain_m,
            )
            for r in rows
        ],
        utcnow(),
        weight,
    )
    kinds = [category for category, kind in GEAR_KINDS.items() if kind == view.item.kind]
    products = list(await session.scalars(select(Product).where(Product.category.in_(kinds))))
    if view.item.product_id and not any(p.id == view.item.product_id for p in products):
        linked = await session.get(Product, view.item.product_id)
        products += [linked] if linked is not None else []
    in_stock = (
        set(
            await session.scalars(
                select(ProductOffer.product_id).where(
                    ProductOffer.country == country, ProductOffer.available.is_(True)
                )
            )
        )
        if country
        else set()
    )
    candidates = [_candidate(p, p.id in in_stock) for p in products]
    worn = next((c for c in candidates if c.id == view.item.product_id), None)
    if worn is None:
        worn = replacement.Candidate(
            id="",
            label=f"{view.item.brand} {view.item.model}",
            category=kinds[0] if kinds else "",
            sports=(),
            terrain=None,
            cushioning=None,
            drop_mm=None,
            weight_g=None,
            lifespan_km=None,
            successor_id=None,
            retired=True,
            sold_here=False,
        )
    choices = replacement.choose(worn, view.total_m / 1000, usage, candidates, kind_of=dict(GEAR_KINDS))
    return Replacements(view, usage, country, choices)
