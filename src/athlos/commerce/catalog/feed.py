"""Reading the brand's product feed, JSON or CSV, into checked rows and a list of refusals.

Pure: no database. A feed is hostile input: every row is checked by itself and a bad one becomes an
``Issue`` (its row number, field and reason) instead of an exception; only a file that cannot be read
as a feed at all (not JSON or CSV, no products, too big) is refused as a whole. The schema is in
``docs/catalog-feed.md``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Final, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from athlos.vocabulary.sports import SPORT_LABELS

MOST_BYTES: Final = 20 * 1024 * 1024
MOST_ROWS: Final = 20_000
# What the import report keeps of the refusals; the counts are always complete.
MOST_ISSUES: Final = 200

Category = Literal[
    "road_shoes",
    "trail_shoes",
    "track_shoes",
    "bike",
    "bike_chain",
    "bike_tyres",
    "skis",
    "apparel",
    "accessory",
]
Terrain = Literal["road", "trail", "track", "mixed", "snow", "water", "indoor"]
Cushioning = Literal["minimal", "low", "medium", "high", "max"]
CATEGORIES: Final[tuple[str, ...]] = Category.__args__  # type: ignore[attr-defined]

PRODUCT_ID: Final = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
COUNTRY: Final = re.compile(r"^[A-Z]{2}$")
CURRENCY: Final = re.compile(r"^[A-Z]{3}$")
CSV_COLUMNS: Final = (
    "id",
    "sku",
    "name",
    "brand",
    "category",
    "sports",
    "terrain",
    "cushioning",
    "drop_mm",
    "weight_g",
    "lifespan_km",
    "offers",
    "images",
    "shop_url",
    "successor_id",
)
# What a product row keeps as it is (the id is its key, the offers a table of their own).
PRODUCT_COLUMNS: Final = tuple(name for name in CSV_COLUMNS if name not in ("id", "offers"))
REQUIRED_CSV_COLUMNS: Final = ("id", "sku", "name", "brand", "category", "shop_url")


class FeedRefused(Exception):
    """The file as a whole is not a feed; nothing of it is imported."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


@dataclass(frozen=True, slots=True)
class Issue:
    row: int
    product_id: str | None
    field: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "product_id": self.product_id, "field": self.field, "reason": self.reason}


def _web_address(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise ValueError("must be an http(s) address")
    return value


class FeedOffer(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    country: str = Field(pattern=COUNTRY.pattern)
    price: Decimal = Field(ge=0, le=1_000_000, decimal_places=2)
    currency: str = Field(pattern=CURRENCY.pattern)
    available: bool = True


class FeedProduct(BaseModel):
    """One product as the feed gives it."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    id: str = Field(pattern=PRODUCT_ID.pattern)
    sku: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=120)
    brand: str = Field(min_length=1, max_length=80)
    category: Category
    sports: list[str] = Field(default_factory=list, max_length=16)
    terrain: Terrain | None = None
    cushioning: Cushioning | None = None
    drop_mm: float | None = Field(default=None, ge=0, le=30)
    weight_g: float | None = Field(default=None, gt=0, le=50_000)
    lifespan_km: float | None = Field(default=None, gt=0, le=200_000)
    offers: list[FeedOffer] = Field(default_factory=list, max_length=250)
    images: list[str] = Field(default_factory=list, max_length=10)
    shop_url: str = Field(max_length=500)
    successor_id: str | None = Field(default=None, pattern=PRODUCT_ID.pattern)

    @field_validator("sports")
    @classmethod
    def _known_sports(cls, sports: list[str]) -> list[str]:
        for sport in sports:
            if sport not in SPORT_LABELS:
                raise ValueError(f"{sport!r} is not a sport of Athlos")
        return list(dict.fromkeys(sports))

    @field_validator("images")
    @classmethod
    def _image_addresses(cls, images: list[str]) -> list[str]:
        for image in images:
            if len(image) > 500:
                raise ValueError("an image address is longer than 500 characters")
            _web_address(image)
        return images

    @field_validator("shop_url")
    @classmethod
    def _shop_address(cls, value: str) -> str:
        return _web_address(value)

    @field_validator("offers", mode="before")
    @classmethod
    def _offers_are_a_list(cls, value: Any) -> Any:
        if isinstance(value, str):
            raise ValueError(
                "write each offer as COUNTRY:PRICE:CURRENCY:in_stock (or out_of_stock), separated by |"
            )
        return value

    @field_validator("offers")
    @classmethod
    def _one_offer_per_country(cls, offers: list[FeedOffer]) -> list[FeedOffer]:
        countries = [offer.country for offer in offers]
        for country in countries:
            if countries.count(country) > 1:
                raise ValueError(f"{country} has more than one offer")
        return offers

    def content_hash(self) -> str:
        """A digest of everything the feed says about the product, to notice a change."""
        canonical = json.dumps(self.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(slots=True)
class ParsedFeed:
    """The rows that passed, the refusals, and every id the feed names (refused rows' too, so their
    products are left as they were instead of retired)."""

    products: list[tuple[int, FeedProduct]] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    named_ids: set[str] = field(default_factory=set)

    @property
    def rejected_rows(self) -> int:
        return len({issue.row for issue in self.issues})


def _where(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc) or "row"


def _reason(error: dict[str, Any]) -> str:
    message = str(error.get("msg", "is not valid"))
    return message.removeprefix("Value error, ")


def _readable_id(raw: Any) -> str | None:
    if isinstance(raw, dict):
        value = raw.get("id")
        if isinstance(value, str) and PRODUCT_ID.match(value.strip()):
            return value.strip()
    return None


def check_rows(rows: list[tuple[int, Any]]) -> ParsedFeed:
    """Each raw row checked by itself; a repeated id, an unknown successor and a product that is its own
    successor are refusals too."""
    parsed = ParsedFeed()
    first_row: dict[str, int] = {}
    for number, raw in rows:
        product_id = _readable_id(raw)
        if product_id is not None:
            parsed.named_ids.add(product_id)
        if not isinstance(raw, dict):
            parsed.issues.append(Issue(number, None, "row", "is not an object"))
            continue
        try:
            product = FeedProduct.model_validate(raw)
        except ValidationError as exc:
            parsed.issues.extend(
                Issue(number, product_id, _where(error["loc"]), _reason(dict(error)))
                for error in exc.errors()
            )
            continue
        if product.id in first_row:
            parsed.issues.append(
                Issue(number, product.id, "id", f"repeats the id of row {first_row[product.id]}")
            )
            continue
        first_row[product.id] = number
        parsed.products.append((number, product))
    return parsed


def check_successors(parsed: ParsedFeed, known_ids: set[str]) -> None:
    """Refuse rows whose successor is neither in the feed nor in the catalogue already."""
    kept: list[tuple[int, FeedProduct]] = []
    for number, product in parsed.products:
        successor = product.successor_id
        if successor == product.id:
            parsed.issues.append(Issue(number, product.id, "successor_id", "a product cannot succeed itself"))
        elif successor is not None and successor not in parsed.named_ids and successor not in known_ids:
            parsed.issues.append(
                Issue(number, product.id, "successor_id", f"there is no product {successor!r}")
            )
        else:
            kept.append((number, product))
    parsed.products = kept


def _decoded(data: bytes) -> str:
    if len(data) > MOST_BYTES:
        raise FeedRefused(f"the feed is larger than {MOST_BYTES // (1024 * 1024)} MB")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FeedRefused(f"the feed is not UTF-8 text (byte {exc.start})") from exc


def json_rows(data: bytes) -> list[tuple[int, Any]]:
    """A JSON feed: ``{"products": [...]}`` or a bare list; rows are numbered from 1."""
    try:
        document = json.loads(_decoded(data), parse_float=Decimal)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise FeedRefused(f"the feed is not valid JSON: {exc}") from exc
    products = document.get("products") if isinstance(document, dict) else document
    if not isinstance(products, list):
        raise FeedRefused('a JSON feed is a list of products, or an object with a "products" list')
    if len(products) > MOST_ROWS:
        raise FeedRefused(f"the feed has more than {MOST_ROWS} products")
    if not products:
        raise FeedRefused("the feed has no products")
    return list(enumerate(products, start=1))


def _csv_offers(text: str) -> list[dict[str, Any]] | str:
    """``DE:129.99:EUR:in_stock|FR:...`` as offers (the text itself when malformed, for the schema to
    refuse)."""
    offers = []
    for part in filter(None, (piece.strip() for piece in text.split("|"))):
        pieces = part.split(":")
        if len(pieces) != 4 or pieces[3] not in ("in_stock", "out_of_stock"):
            return text
        country, price, currency, stock = pieces
        offers.append(
            {"country": country, "price": price, "currency": currency, "available": stock == "in_stock"}
        )
    return offers


def _csv_row(record: dict[str, str | None]) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for name, value in record.items():
        text = (value or "").strip()
        if name in ("sports", "images"):
            row[name] = [piece.strip() for piece in text.split("|") if piece.strip()]
        elif name == "offers":
            row[name] = _csv_offers(text)
        elif text:
            row[name] = text
    return row


def csv_rows(data: bytes) -> list[tuple[int, Any]]:
    """A CSV feed with a header line; a row's number is its line in the file (the header is line 1)."""
    text = _decoded(data)
    reader = csv.DictReader(io.StringIO(text, newline=""), restkey="_extra")
    header = reader.fieldnames or []
    missing = [name for name in REQUIRED_CSV_COLUMNS if name not in header]
    if missing:
        raise FeedRefused(f"the CSV header lacks the columns {', '.join(missing)}")
    unknown = [name for name in header if name not in CSV_COLUMNS]
    if unknown:
        raise FeedRefused(f"the CSV header has unknown columns {', '.join(unknown)}")
    rows: list[tuple[int, Any]] = []
    try:
        for record in reader:
            if len(rows) >= MOST_ROWS:
                raise FeedRefused(f"the feed has more than {MOST_ROWS} products")
            extra = record.pop("_extra", None)
            row = _csv_row(record)
            if extra:
                row["_extra"] = extra  # refused by the schema: more cells than columns
            rows.append((reader.line_num, row))
    except csv.Error as exc:
        raise FeedRefused(f"the CSV is malformed at line {reader.line_num}: {exc}") from exc
    if not rows:
        raise FeedRefused("the feed has no products")
    return rows


def read_feed(data: bytes, name: str) -> ParsedFeed:
    """The feed in ``data``; JSON when its name ends in ``.json`` or it starts like JSON, else CSV."""
    stripped = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    is_json = name.lower().endswith(".json") or stripped[:1] in (b"{", b"[")
    return check_rows(json_rows(data) if is_json else csv_rows(data))
