"""``/api/v1/catalog/products``: the brand's products for anyone signed in (search, a page at a time)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from athlos.accounts.deps import CurrentUserDep
from athlos.commerce.catalog import service
from athlos.commerce.catalog.models import Product, ProductOffer
from athlos.commerce.catalog.schemas import ProductList, ProductOut
from athlos.core.deps import SessionDep
from athlos.core.errors import problem_responses

router = APIRouter(tags=["catalogue"], responses=problem_responses(401, 422))


def product_out(product: Product, offers: list[ProductOffer]) -> dict[str, Any]:
    return {
        **{
            column: getattr(product, column) for column in ProductOut.model_fields if hasattr(product, column)
        },
        "retired": product.retired_at is not None,
        "offers": [
            {"country": o.country, "price": o.price, "currency": o.currency, "available": o.available}
            for o in offers
        ],
    }


@router.get("/catalog/products", response_model=ProductList)
async def list_products(
    user: CurrentUserDep,
    session: SessionDep,
    q: Annotated[str, Query(max_length=100)] = "",
    cursor: Annotated[str | None, Query(max_length=64)] = None,
) -> dict[str, Any]:
    """Products in the catalogue (retired ones left out) whose id, SKU, name or brand contains ``q``."""
    found, next_cursor = await service.search_products(session, q, after=cursor, include_retired=False)
    return {
        "items": [product_out(p, await service.offers_of(session, p.id)) for p in found],
        "next_cursor": next_cursor,
    }


@router.get("/catalog/products/{product_id}", response_model=ProductOut, responses=problem_responses(404))
async def get_product(user: CurrentUserDep, session: SessionDep, product_id: str) -> dict[str, Any]:
    """One product, retired ones too (gear keeps linking to them), with its successor's id."""
    product = await service.get_product(session, product_id)
    return product_out(product, await service.offers_of(session, product.id))
