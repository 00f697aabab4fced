"""Write the example catalogue feed, ``products.json`` and the same products as ``products.csv``.

Deterministic (a seeded generator): running it again writes the same files. The brand, Kestrel, and its
shop at ``shop.kestrel.example`` are made up. Each model family comes in several versions, each
version naming the next as its successor, so replacements have somewhere to lead.

    python examples/catalog/make_feed.py            # writes beside this file
"""

from __future__ import annotations

import csv
import json
import random
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
BRAND = "Kestrel"
SHOP = "https://shop.kestrel.example"
# Country, currency, price factor against euros.
COUNTRIES = [
    ("DE", "EUR", "1.00"),
    ("AT", "EUR", "1.00"),
    ("CH", "CHF", "1.05"),
    ("FR", "EUR", "1.00"),
    ("ES", "EUR", "0.98"),
    ("IT", "EUR", "1.00"),
    ("NL", "EUR", "1.00"),
    ("GB", "GBP", "0.86"),
    ("US", "USD", "1.08"),
    ("RU", "RUB", "98.00"),
]
# Family name, category, sports, terrain, cushioning, drop range, weight range (g), lifespan (km), base price.
FAMILIES = [
    ("Glide", "road_shoes", ["run"], "road", "high", (8, 12), (250, 300), 700, 140),
    ("Tempo", "road_shoes", ["run"], "road", "medium", (6, 10), (220, 260), 600, 150),
    ("Aero", "road_shoes", ["run"], "road", "low", (4, 8), (180, 220), 450, 220),
    ("Cruise", "road_shoes", ["run", "walk"], "road", "max", (5, 10), (270, 320), 800, 160),
    ("Daily", "road_shoes", ["run", "walk"], "road", "medium", (8, 12), (260, 300), 650, 110),
    ("Ridge", "trail_shoes", ["trail_run", "hike"], "trail", "medium", (4, 8), (280, 330), 600, 150),
    ("Scree", "trail_shoes", ["trail_run"], "trail", "low", (2, 6), (240, 280), 500, 160),
    ("Summit", "trail_shoes", ["hike", "trail_run"], "mixed", "high", (6, 10), (320, 380), 900, 170),
    ("Mud", "trail_shoes", ["trail_run"], "trail", "minimal", (0, 4), (230, 270), 450, 140),
    ("Oval", "track_shoes", ["run"], "track", "minimal", (0, 4), (120, 160), 300, 130),
    ("Velo", "bike", ["ride"], "road", None, None, (7600, 8600), 30000, 2400),
    ("Gravel", "bike", ["ride"], "mixed", None, None, (8800, 9800), 30000, 2100),
    ("Chain", "bike_chain", ["ride"], None, None, None, (240, 280), 4000, 35),
    ("Grip", "bike_tyres", ["ride"], "road", None, None, (220, 300), 5000, 55),
    ("Nordic", "skis", ["ski"], "snow", None, None, (1100, 1400), 4000, 390),
    ("Layer", "apparel", ["run", "ride"], None, None, None, (120, 200), None, 60),
    ("Bottle", "accessory", ["ride", "run"], None, None, None, (60, 90), None, 15),
]
EDITIONS = ["", " Wide", " GTX", " Women's", " Men's"]


def _product(rng: random.Random, family: tuple, version: int, edition: str, last: int) -> dict:
    name, category, sports, terrain, cushioning, drop, weight, lifespan, price = family
    slug = f"{name.lower()}-{version}{edition.lower().replace(' ', '-').replace(chr(39), '')}"
    product_id = f"kestrel-{slug}"
    base = Decimal(price) * (Decimal("1.00") + Decimal(rng.randint(0, 12)) / 100)
    offers = []
    for country, currency, factor in COUNTRIES:
        if rng.random() < 0.15:
            continue  # not sold there
        value = (base * Decimal(factor)).quantize(Decimal("1")) - Decimal("0.01")
        offers.append(
            {"country": country, "price": str(value), "currency": currency, "available": rng.random() > 0.1}
        )
    product: dict = {
        "id": product_id,
        "sku": "KS-" + str(sum((i + 1) * ord(c) for i, c in enumerate(product_id)) % 10**8).zfill(8),
        "name": f"{name} {version}{edition}",
        "brand": BRAND,
        "category": category,
        "sports": sports,
        "terrain": terrain,
        "cushioning": cushioning,
        "drop_mm": rng.randint(*drop) if drop else None,
        "weight_g": rng.randint(*weight),
        "lifespan_km": lifespan,
        "offers": offers,
        "images": [f"{SHOP}/images/{slug}-{n}.jpg" for n in range(1, rng.randint(2, 4))],
        "shop_url": f"{SHOP}/p/{slug}",
        "successor_id": None if version == last else f"kestrel-{name.lower()}-{version + 1}"
        + edition.lower().replace(" ", "-").replace("'", ""),
    }
    return product


def products() -> list[dict]:
    rng = random.Random(15)
    made = []
    for family in FAMILIES:
        last = 6 if family[1].endswith("shoes") else 4
        for version in range(1, last + 1):
            for edition in EDITIONS if family[1].endswith("shoes") else [""]:
                made.append(_product(rng, family, version, edition, last))
    return made


def _csv_value(product: dict, column: str) -> str:
    value = product.get(column)
    if column in ("sports", "images"):
        return "|".join(value or [])
    if column == "offers":
        return "|".join(
            f"{o['country']}:{o['price']}:{o['currency']}:{'in_stock' if o['available'] else 'out_of_stock'}"
            for o in value
        )
    return "" if value is None else str(value)


def main() -> None:
    made = products()
    lines = ",\n".join(json.dumps(product, ensure_ascii=False) for product in made)
    (HERE / "products.json").write_text('{"products": [\n' + lines + "\n]}\n")
    columns = list(made[0])
    with (HERE / "products.csv").open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(columns)
        for product in made:
            writer.writerow([_csv_value(product, column) for column in columns])
    print(f"{len(made)} products")


if __name__ == "__main__":
    main()
