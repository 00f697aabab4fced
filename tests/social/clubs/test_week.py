"""The leaderboard's week: Monday to Monday on the viewer's clock, also across a change of clocks and
where the viewer's Monday is still Sunday in UTC."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from athlos.social.clubs.training import week_of


def test_the_week_is_the_viewers() -> None:
    berlin, tokyo, new_york = ZoneInfo("Europe/Berlin"), ZoneInfo("Asia/Tokyo"), ZoneInfo("America/New_York")
    # Sunday 23:30 UTC is already Monday morning in Tokyo: a new week there, still Sunday in New York.
    late_sunday = datetime(2026, 11, 29, 23, 30, tzinfo=UTC)
    assert week_of(late_sunday, tokyo)[0] == datetime(2026, 11, 30, tzinfo=tokyo)
    assert week_of(late_sunday, new_york)[0] == datetime(2026, 11, 23, tzinfo=new_york)
    # The week the clocks go back is an hour longer; it still ends at the next Monday's midnight.
    start, end = week_of(datetime(2026, 10, 21, 12, tzinfo=UTC), berlin)
    assert (start.astimezone(UTC), end.astimezone(UTC)) == (
        datetime(2026, 10, 18, 22, tzinfo=UTC),
        datetime(2026, 10, 25, 23, tzinfo=UTC),
    )
