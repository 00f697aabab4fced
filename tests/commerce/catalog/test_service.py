"""Importing the feed: created, updated, unchanged, retired; a returning product comes back; gear keeps
its link to a retired product; refused rows leave their products alone; a strict or unreadable import
writes nothing; ``athlos catalog import`` prints the counts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from athlos.commerce.catalog import service
from athlos.commerce.catalog.errors import FeedNotImported
from athlos.commerce.catalog.models import Product, ProductOffer
from athlos.core.db import Database
from athlos.gear.models import GearItem
from tests.analytics.conftest import new_person
from tests.commerce.helpers import EXAMPLE_FEED, feed, import_feed, imports, product
from tests.gear.helpers import add_gear


async def products_in(db: Database) -> dict[str, Product]:
    async with db.sessionmaker() as session:
        return {p.id: p for p in await session.scalars(select(Product))}


async def test_a_reimport_updates_changed_products_and_retires_those_gone(db: Database, bus) -> None:
    first = await import_feed(
        db, feed(product("kestrel-glide-1"), product("kestrel-glide-2"), product("kestrel-x-1"))
    )
    assert (first.created, first.updated, first.retired, first.rejected) == (3, 0, 0, 0)
    owner = await new_person(db, bus)
    gear_id = await add_gear(db, owner, product_id="kestrel-glide-1", brand="Kestrel", model="Glide 1")

    changed = product("kestrel-glide-2", name="Glide 2 (2027)", offers=[])
    second = await import_feed(
        db, feed(changed, product("kestrel-x-1"), product("kestrel-glide-3", successor_id=None))
    )
    assert (second.created, second.updated, second.unchanged, second.retired) == (1, 1, 1, 1)
    found = await products_in(db)
    assert found["kestrel-glide-1"].retired_at is not None
    assert found["kestrel-glide-2"].name == "Glide 2 (2027)"
    async with db.sessionmaker() as session:
        assert (
            await session.scalar(select(func.count()).where(ProductOffer.product_id == "kestrel-glide-2"))
            == 0
        )
        item = await session.get(GearItem, gear_id)
        assert item is not None
        assert item.product_id == "kestrel-glide-1"
        facts = await service.product_facts(session, "kestrel-glide-1")
        assert facts.retired
        assert facts.lifespan_km == 700

    back = await import_feed(db, feed(product("kestrel-glide-1"), changed, product("kestrel-x-1")))
    assert (back.updated, back.retired) == (1, 1)  # glide-1 returns, glide-3 leaves
    assert (await products_in(db))["kestrel-glide-1"].retired_at is None


async def test_a_refused_row_leaves_its_product_as_it_was(db: Database) -> None:
    await import_feed(db, feed(product("kestrel-a-1"), product("kestrel-b-1")))
    report = await import_feed(db, feed(product("kestrel-a-1"), product("kestrel-b-1", lifespan_km="far")))
    assert (report.rejected, report.retired, report.applied) == (1, 0, True)
    assert report.issues == [
        {"row": 2, "product_id": "kestrel-b-1", "field": "lifespan_km", "reason": report.issues[0]["reason"]}
    ]
    assert (await products_in(db))["kestrel-b-1"].retired_at is None


async def test_strict_imports_nothing_when_a_row_is_refused(db: Database) -> None:
    await import_feed(db, feed(product("kestrel-a-1")))
    report = await import_feed(
        db,
        feed(product("kestrel-a-1", name="Renamed"), product("kestrel-c-1"), {"id": "kestrel-d-1"}),
        strict=True,
    )
    assert (report.applied, report.created, report.rejected) == (False, 0, 1)
    found = await products_in(db)
    assert set(found) == {"kestrel-a-1"}
    assert found["kestrel-a-1"].name == "Glide 1"


async def test_a_file_that_is_no_feed_changes_nothing(db: Database) -> None:
    await import_feed(db, feed(product("kestrel-a-1")))
    with pytest.raises(FeedNotImported) as refused:
        await import_feed(db, b"[1, 2", "feed.json")
    assert refused.value.code == "catalog_feed_refused"
    assert (await products_in(db))["kestrel-a-1"].retired_at is None
    assert await imports(db) == 1


def test_the_command_imports_the_example_feed_and_prints_the_counts(
    database_url: str, db: Database, tmp_path: Path
) -> None:
    # ``db``: its runtime empties the tables the command wrote when the test ends.
    env = {**os.environ, "ATHLOS_DATABASE_URL": database_url, "ATHLOS_DATA_DIR": str(tmp_path)}
    command = [sys.executable, "-m", "athlos", "catalog", "import"]
    first = subprocess.run(
        [*command, str(EXAMPLE_FEED / "products.json")], env=env, capture_output=True, text=True
    )
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("328 created, 0 updated, 0 unchanged, 0 retired, 0 rejected")
    again = subprocess.run(
        [*command, str(EXAMPLE_FEED / "products.csv"), "--json"], env=env, capture_output=True, text=True
    )
    assert json.loads(again.stdout) == {
        "created": 0,
        "updated": 0,
        "unchanged": 328,
        "retired": 0,
        "rejected": 0,
        "applied": True,
        "issues": [],
    }
    bad = tmp_path / "bad.csv"
    lines = (EXAMPLE_FEED / "products.csv").read_text().splitlines()
    bad.write_text("\n".join([*lines[:3], lines[3].replace("road_shoes", "hovercraft")]) + "\n")
    refused = subprocess.run([*command, str(bad)], env=env, capture_output=True, text=True)
    assert refused.returncode == 1
    assert "row 4: category:" in refused.stderr
    assert "0 created, 0 updated, 2 unchanged, 325 retired, 1 rejected" in refused.stdout
    garbage = tmp_path / "garbage.json"
    garbage.write_text("{")
    unreadable = subprocess.run([*command, str(garbage)], env=env, capture_output=True, text=True)
    assert unreadable.returncode == 2
    assert json.loads(unreadable.stderr)["code"] == "catalog_feed_refused"
