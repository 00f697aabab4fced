"""The catalogue: importing the feed (create, update, retire, bring back; refused rows reported), and
reading products for the pages, the shop and gear. Services only ``flush()``: an import is one
transaction, so it is applied whole or not at all."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Final

from sqlalchemy import delete, func, insert, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.commerce.catalog.errors import FeedNotImported, ProductNotFound
from athlos.commerce.catalog.feed import (
    MOST_ISSUES,
    PRODUCT_COLUMNS,
    FeedProduct,
    FeedRefused,
    check_successors,
    read_feed,
)
from athlos.commerce.catalog.models import CatalogImport, Product, ProductOffer
from athlos.core.db import utcnow

PAGE_SIZE: Final = 50
# The gear kind a product of each category is, when it becomes someone's gear.
GEAR_KINDS: Final = {
    "road_shoes": "shoes",
    "trail_shoes": "shoes",
    "track_shoes": "shoes",
    "bike": "bike",
    "bike_chain": "chain",
    "bike_tyres": "tyres",
    "skis": "skis",
}


@dataclass(frozen=True, slots=True)
class ProductFacts:
    """What other domains (gear, the shop) need of a product, without its row."""

    id: str
    brand: str
    name: str
    category: str
    lifespan_km: float | None
    shop_url: str
    retired: bool

    @property
    def gear_kind(self) -> str:
        return GEAR_KINDS.get(self.category, "other")

    @property
    def label(self) -> str:
        return f"{self.brand} {self.name}"


def facts_of(product: Product) -> ProductFacts:
    return ProductFacts(
        id=product.id,
        brand=product.brand,
        name=product.name,
        category=product.category,
        lifespan_km=product.lifespan_km,
        shop_url=product.shop_url,
        retired=product.retired_at is not None,
    )


def _apply(product: Product, row: FeedProduct, digest: str) -> None:
    for name in PRODUCT_COLUMNS:
        setattr(product, name, getattr(row, name))
    product.content_hash = digest
    product.retired_at = None
    product.updated_at = utcnow()


def _offers(row: FeedProduct) -> list[dict[str, Any]]:
    return [
        {
            "product_id": row.id,
            "country": offer.country,
            "price": offer.price,
            "currency": offer.currency,
            "available": offer.available,
        }
        for offer in row.offers
    ]


async def _write_offers(session: AsyncSession, rows: list[FeedProduct], *, replace: list[str]) -> None:
    """The offers of ``rows``, in a few statements; those of the ``replace`` products go first."""
    for start in range(0, len(replace), 500):
        chunk = replace[start : start + 500]
        await session.execute(delete(ProductOffer).where(ProductOffer.product_id.in_(chunk)))
    values = [offer for row in rows for offer in _offers(row)]
    for start in range(0, len(values), 1000):
        await session.execute(insert(ProductOffer), values[start : start + 1000])


async def import_feed(
    session: AsyncSession, data: bytes, source: str, *, strict: bool = False
) -> CatalogImport:
    """Apply a feed: new products are created, changed ones updated (a retired one comes back), the
    ones it no longer names retired. A refused row leaves its product as it was. ``strict``: any refused
    row keeps the whole feed out. The report is kept either way; a file that is no feed at all raises."""
    try:
        parsed = read_feed(data, source)
    except FeedRefused as exc:
        raise FeedNotImported(exc.reason) from exc
    existing = {product.id: product for product in await session.scalars(select(Product))}
    check_successors(parsed, set(existing))
    report = CatalogImport(
        source=source[:200],
        created=0,
        updated=0,
        unchanged=0,
        retired=0,
        rejected=parsed.rejected_rows,
        issues=[issue.as_dict() for issue in parsed.issues[:MOST_ISSUES]],
        applied=not (strict and parsed.issues),
    )
    session.add(report)
    if not report.applied:
        await session.flush()
        return report
    written: list[FeedProduct] = []
    replaced: list[str] = []
    for _, row in parsed.products:
        digest = row.content_hash()
        product = existing.get(row.id)
        if product is None:
            product = Product(id=row.id, created_at=utcnow())
            _apply(product, row, digest)
            session.add(product)
            report.created += 1
        elif product.content_hash != digest or product.retired_at is not None:
            _apply(product, row, digest)
            replaced.append(row.id)
            report.updated += 1
        else:
            report.unchanged += 1
            continue
        written.append(row)
    await session.flush()
    await _write_offers(session, written, replace=replaced)
    now = utcnow()
    for product_id, product in existing.items():
        if product_id not in parsed.named_ids and product.retired_at is None:
            product.retired_at = now
            report.retired += 1
    await session.flush()
    return report


async def recent_imports(session: AsyncSession, limit: int = 5) -> list[CatalogImport]:
    rows = await session.scalars(
        select(CatalogImport).order_by(CatalogImport.created_at.desc(), CatalogImport.id.desc()).limit(limit)
    )
    return list(rows)


async def search_products(
    session: AsyncSession, query: str = "", *, after: str | None = None, include_retired: bool = True
) -> tuple[list[Product], str | None]:
    """Products whose id, SKU, name or brand contains ``query``, by id, a page at a time."""
    statement = select(Product).order_by(Product.id).limit(PAGE_SIZE + 1)
    words = query.strip().lower()
    if words:
        pattern = "%" + words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        statement = statement.where(
            or_(
                *(
                    func.lower(column).like(pattern, escape="\\")
                    for column in (Product.id, Product.sku, Product.name, Product.brand)
                )
            )
        )
    if after:
        statement = statement.where(Product.id > after)
    if not include_retired:
        statement = statement.where(Product.retired_at.is_(None))
    found = list(await session.scalars(statement))
    more = len(found) > PAGE_SIZE
    found = found[:PAGE_SIZE]
    return found, (found[-1].id if more and found else None)


async def count_products(session: AsyncSession) -> tuple[int, int]:
    """(products in the catalogue, of which retired)."""
    total = await session.scalar(select(func.count()).select_from(Product)) or 0
    retired = await session.scalar(select(func.count()).where(Product.retired_at.is_not(None))) or 0
    return total, retired


async def get_product(session: AsyncSession, product_id: str) -> Product:
    product = await session.get(Product, product_id) if len(product_id) <= 64 else None
    if product is None:
        raise ProductNotFound()
    return product


async def product_facts(session: AsyncSession, product_id: str) -> ProductFacts:
    """A product's facts for another domain; 404 ``product_not_found`` when there is none."""
    return facts_of(await get_product(session, product_id))


async def offers_of(session: AsyncSession, product_id: str) -> list[ProductOffer]:
    rows = await session.scalars(
        select(ProductOffer).where(ProductOffer.product_id == product_id).order_by(ProductOffer.country)
    )
    return list(rows)


async def offer_in(session: AsyncSession, product_id: str, country: str | None) -> ProductOffer | None:
    if not country:
        return None
    return await session.get(ProductOffer, (product_id, country.upper()))


async def choices(session: AsyncSession) -> list[ProductFacts]:
    """Products in the catalogue that may become gear (not retired), by brand and name."""
    rows = await session.scalars(
        select(Product)
        .where(Product.retired_at.is_(None), Product.category.in_(GEAR_KINDS))
        .order_by(Product.brand, Product.name, Product.id)
    )
    return [facts_of(product) for product in rows]


def price_text(price: Decimal, currency: str) -> str:
    return f"{price:.2f} {currency}"


def report_counts(report: CatalogImport) -> dict[str, Any]:
    return {
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "retired": report.retired,
        "rejected": report.rejected,
        "applied": report.applied,
    }
