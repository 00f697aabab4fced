"""Reading a feed: the example feed reads the same as JSON and CSV; a hostile file's bad rows are
reported by row, field and reason; a file that is no feed at all is refused whole."""

from __future__ import annotations

import json

import pytest

from athlos.commerce.catalog.feed import FeedRefused, check_successors, read_feed
from tests.commerce.helpers import EXAMPLE_FEED, feed, product


def test_the_example_feed_reads_the_same_as_json_and_as_csv() -> None:
    as_json = read_feed((EXAMPLE_FEED / "products.json").read_bytes(), "products.json")
    as_csv = read_feed((EXAMPLE_FEED / "products.csv").read_bytes(), "products.csv")
    assert not as_json.issues
    assert not as_csv.issues
    assert len(as_json.products) >= 300
    assert [p.content_hash() for _, p in as_json.products] == [p.content_hash() for _, p in as_csv.products]
    check_successors(as_json, set())
    assert not as_json.issues  # every successor is in the feed


def test_bad_rows_are_reported_with_their_number_field_and_reason() -> None:
    parsed = read_feed(
        feed(
            product("kestrel-a-1"),
            product("Bad Id!", lifespan_km=-5),
            product("kestrel-a-1"),
            "not an object",
            product("kestrel-b-1", sports=["flying"], shop_url="javascript:alert(1)"),
        ),
        "feed.json",
    )
    assert [row for row, _ in parsed.products] == [1]
    found = {(i.row, i.field): i.reason for i in parsed.issues}
    assert "should match pattern" in found[(2, "id")]
    assert "greater than 0" in found[(2, "lifespan_km")]
    assert found[(3, "id")] == "repeats the id of row 1"
    assert found[(4, "row")] == "is not an object"
    assert "'flying' is not a sport" in found[(5, "sports")]
    assert found[(5, "shop_url")] == "must be an http(s) address"
    assert parsed.rejected_rows == 4
    assert "kestrel-b-1" in parsed.named_ids  # its product is left as it is, not retired


def test_csv_rows_are_numbered_by_their_line_and_offers_are_checked() -> None:
    lines = (EXAMPLE_FEED / "products.csv").read_text().splitlines()
    broken = lines[2].replace(":in_stock", ":perhaps", 1)
    parsed = read_feed("\n".join([lines[0], lines[1], broken, lines[3] + ",surplus"]).encode(), "f.csv")
    assert [row for row, _ in parsed.products] == [2]
    assert {(i.row, i.field) for i in parsed.issues} == {(3, "offers"), (4, "_extra")}
    assert "COUNTRY:PRICE:CURRENCY" in parsed.issues[0].reason


def test_an_unknown_successor_and_a_product_succeeding_itself_are_refused() -> None:
    parsed = read_feed(
        feed(
            product("kestrel-a-1", successor_id="kestrel-a-2"),
            product("kestrel-a-2", successor_id="kestrel-a-2"),
            product("kestrel-a-3", successor_id="kestrel-old-9"),
        ),
        "f.json",
    )
    check_successors(parsed, {"kestrel-old-9"})
    assert [p.id for _, p in parsed.products] == ["kestrel-a-1", "kestrel-a-3"]
    assert [(i.row, i.field) for i in parsed.issues] == [(2, "successor_id")]


@pytest.mark.parametrize(
    ("data", "name", "reason"),
    [
        (b"{not json", "f.json", "not valid JSON"),
        (b'{"products": {}}', "f.json", "a JSON feed is a list"),
        (b'{"products": []}', "f.json", "no products"),
        (b"\xff\xfe\x00", "f.csv", "not UTF-8"),
        (b"name,brand\nA,B\n", "f.csv", "lacks the columns id, sku, category, shop_url"),
        (b"id,sku,name,brand,category,shop_url,colour\n", "f.csv", "unknown columns colour"),
        (b"id,sku,name,brand,category,shop_url\n", "f.csv", "no products"),
        (json.dumps([{}] * 20_001).encode(), "f.json", "more than 20000"),
    ],
)
def test_a_file_that_is_no_feed_is_refused_whole(data: bytes, name: str, reason: str) -> None:
    with pytest.raises(FeedRefused) as refused:
        read_feed(data, name)
    assert reason in refused.value.reason
