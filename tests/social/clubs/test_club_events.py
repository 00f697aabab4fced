"""Club events through the API: planning, RSVPs with a waitlist, cancelling, the iCalendar exports
(parsed back with ``icalendar``) and the reminder before the start through notifications."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from icalendar import Calendar
from sqlalchemy import select

from athlos.core.db import Database
from athlos.core.events.embedded import EmbeddedBus
from athlos.core.events.models import HandlerFailure
from tests.activities.conftest import Person
from tests.notifications.helpers import inbox
from tests.social.clubs.conftest import join, make_club


def plan(hours_ahead: float = 48, **changes: Any) -> dict[str, Any]:
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=hours_ahead)
    return {
        "title": "Sunrise tempo",
        "sport": "run",
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=1)).isoformat(),
        "meeting_point": "Fountain at the park gate",
        "meeting_lat": 48.137,
        "meeting_lon": 11.575,
        **changes,
    }


async def create_event(
    client: httpx.AsyncClient, person: Person, club: dict[str, Any], **changes: Any
) -> dict[str, Any]:
    created = await client.post(
        f"/api/v1/clubs/{club['id']}/events", json=plan(**changes), headers=person.headers
    )
    assert created.status_code == 201, created.text
    event: dict[str, Any] = created.json()
    return event


async def rsvp(
    client: httpx.AsyncClient, person: Person, event: dict[str, Any], answer: str = "going"
) -> str:
    response = await client.post(
        f"/api/v1/club-events/{event['id']}/rsvp", json={"answer": answer}, headers=person.headers
    )
    assert response.status_code == 200, response.text
    status: str = response.json()["status"]
    return status


async def test_members_plan_events_and_bad_plans_are_refused(
    client: httpx.AsyncClient, alice: Person, bob: Person, carol: Person
) -> None:
    club = await make_club(client, alice)
    await join(client, bob, club)
    event = await create_event(client, bob, club, capacity=12)
    assert (event["going"], event["capacity"], event["cancelled"]) == (0, 12, False)
    path = f"/api/v1/clubs/{club['id']}/events"
    outsider = await client.post(path, json=plan(), headers=carol.headers)
    assert (outsider.status_code, outsider.json()["code"]) == (403, "not_club_member")
    cases = [
        (plan(hours_ahead=-1), "event_in_past"),
        (plan(ends_at=plan()["starts_at"]), "event_ends_before_start"),
        (plan(meeting_lon=None), "half_a_point"),
        (plan(sport="quidditch"), "unknown_sport"),
        (plan(capacity=0), "validation_error"),
        (plan(starts_at="2030-01-01T10:00:00"), "validation_error"),
    ]
    for body, code in cases:
        refused = await client.post(path, json=body, headers=bob.headers)
        assert (refused.status_code, refused.json()["code"]) == (422, code), body
    listed = await client.get(path)
    assert [e["id"] for e in listed.json()] == [event["id"]]


async def test_a_full_event_keeps_a_waitlist_that_moves_up(
    client: httpx.AsyncClient, alice: Person, bob: Person, carol: Person
) -> None:
    club = await make_club(client, alice)
    await join(client, bob, club)
    await join(client, carol, club)
    event = await create_event(client, alice, club, capacity=1)
    assert await rsvp(client, bob, event) == "going"
    assert await rsvp(client, carol, event) == "waitlisted"
    assert await rsvp(client, carol, event) == "waitlisted"
    shown = (await client.get(f"/api/v1/club-events/{event['id']}", headers=carol.headers)).json()
    assert (shown["going"], shown["waitlisted"], shown["rsvp"]) == (1, 1, "waitlisted")
    withdrawn = await client.delete(f"/api/v1/club-events/{event['id']}/rsvp", headers=bob.headers)
    assert withdrawn.json()["status"] == "not_going"
    shown = (await client.get(f"/api/v1/club-events/{event['id']}", headers=carol.headers)).json()
    assert (shown["going"], shown["waitlisted"], shown["rsvp"]) == (1, 0, "going")
    assert await rsvp(client, bob, event) == "waitlisted"


async def test_cancelling_and_who_may(
    client: httpx.AsyncClient, alice: Person, bob: Person, carol: Person
) -> None:
    club = await make_club(client, alice)
    await join(client, bob, club)
    await join(client, carol, club)
    event = await create_event(client, bob, club)
    refused = await client.delete(f"/api/v1/club-events/{event['id']}", headers=carol.headers)
    assert (refused.status_code, refused.json()["code"]) == (403, "not_event_organiser")
    assert (await client.delete(f"/api/v1/club-events/{event['id']}", headers=bob.headers)).status_code == 204
    late = await client.post(f"/api/v1/club-events/{event['id']}/rsvp", headers=carol.headers)
    assert (late.status_code, late.json()["code"]) == (409, "club_event_cancelled")
    by_admin = await create_event(client, bob, club)
    assert (
        await client.delete(f"/api/v1/club-events/{by_admin['id']}", headers=alice.headers)
    ).status_code == 204


async def test_ical_exports_of_an_event_and_of_a_club(
    client: httpx.AsyncClient, alice: Person, bob: Person
) -> None:
    club = await make_club(client, alice, name="Isar Runners")
    first = await create_event(client, alice, club)
    await create_event(
        client, alice, club, hours_ahead=72, title="Long run", meeting_lat=None, meeting_lon=None
    )
    one = await client.get(f"/api/v1/club-events/{first['id']}.ics")
    assert one.status_code == 200
    assert one.headers["content-type"].startswith("text/calendar")
    assert "attachment" in one.headers["content-disposition"]
    entries = Calendar.from_ical(one.content).walk("VEVENT")
    assert len(entries) == 1
    entry = entries[0]
    assert str(entry["summary"]) == "Sunrise tempo"
    assert entry.decoded("dtstart") == datetime.fromisoformat(first["starts_at"])
    assert entry.decoded("dtend") == datetime.fromisoformat(first["ends_at"])
    assert str(entry["location"]) == "Fountain at the park gate"
    assert (entry["geo"].latitude, entry["geo"].longitude) == (48.137, 11.575)
    assert str(entry["uid"]) == f"{first['id']}@athlos"

    feed = Calendar.from_ical((await client.get(f"/api/v1/clubs/{club['id']}/events.ics")).content)
    assert str(feed["x-wr-calname"]) == "Isar Runners"
    assert [str(e["summary"]) for e in feed.walk("VEVENT")] == ["Sunrise tempo", "Long run"]

    hidden = await make_club(client, alice, join_policy="invite")
    secret = await create_event(client, alice, hidden)
    for path in (f"/api/v1/club-events/{secret['id']}.ics", f"/api/v1/clubs/{hidden['id']}/events.ics"):
        assert (await client.get(path, headers=bob.headers)).status_code == 404
    assert (await client.get(f"/api/v1/club-events/{secret['id']}", headers=bob.headers)).status_code == 404
    assert (await client.get(f"/api/v1/clubs/{hidden['id']}/events", headers=bob.headers)).status_code == 404
    in_hidden = await client.post(f"/api/v1/club-events/{secret['id']}/rsvp", headers=bob.headers)
    assert in_hidden.status_code == 404


async def test_the_people_going_are_reminded_before_the_start(
    client: httpx.AsyncClient, db: Database, bus: EmbeddedBus, alice: Person, bob: Person, carol: Person
) -> None:
    club = await make_club(client, alice, name="Isar Runners")
    await join(client, bob, club)
    await join(client, carol, club)
    soon = await create_event(client, alice, club, hours_ahead=1, title="Evening intervals")
    later = await create_event(client, alice, club, hours_ahead=30, title="Saturday long run")
    await rsvp(client, bob, soon)
    await rsvp(client, carol, soon, "not_going")
    await rsvp(client, bob, later)
    await bus.drain()

    bobs = [(n["title"], n["link"]) for n in (await inbox(client, bob.headers))["items"]]
    assert bobs == [("Evening intervals starts soon", f"/clubs/{club['id']}/events/{soon['id']}")]
    assert (await inbox(client, carol.headers))["items"] == []
    # The later event's reminder waits for its time, two hours before the start.
    async with db.sessionmaker() as session:
        waiting = (
            await session.scalars(
                select(HandlerFailure).where(HandlerFailure.event_type == "social.club_event_scheduled")
            )
        ).all()
    assert len(waiting) == 1
    due = datetime.fromisoformat(later["starts_at"]) - timedelta(hours=2)
    assert abs((waiting[0].next_attempt_at - due).total_seconds()) < 120
    assert waiting[0].attempts == 0
