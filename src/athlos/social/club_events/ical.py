"""Club events as iCalendar (RFC 5545), made with the ``icalendar`` library: one event, or a club's
feed of them. Times are written in UTC; a calendar shows them on its reader's clock."""

from __future__ import annotations

from collections.abc import Iterable

from icalendar import Calendar, Event, vGeo

from athlos.social.club_events.models import ClubEvent

PRODUCT = "-//Athlos//Club events//EN"


def _entry(event: ClubEvent, club_name: str, base_url: str) -> Event:
    entry = Event()
    entry.add("uid", f"{event.id}@athlos")
    entry.add("dtstamp", event.created_at)
    entry.add("dtstart", event.starts_at)
    entry.add("dtend", event.ends_at)
    entry.add("summary", event.title)
    entry.add("description", event.description or club_name)
    entry.add("categories", [club_name])
    entry.add("url", f"{base_url}/clubs/{event.club_id}/events/{event.id}")
    if event.meeting_point:
        entry.add("location", event.meeting_point)
    if event.meeting_lat is not None and event.meeting_lon is not None:
        entry.add("geo", vGeo((event.meeting_lat, event.meeting_lon)))
    entry.add("status", "CANCELLED" if event.cancelled_at is not None else "CONFIRMED")
    return entry


def calendar(events: Iterable[ClubEvent], club_name: str, base_url: str) -> bytes:
    feed = Calendar()
    feed.add("prodid", PRODUCT)
    feed.add("version", "2.0")
    feed.add("x-wr-calname", club_name)
    for event in events:
        feed.add_component(_entry(event, club_name, base_url))
    return feed.to_ical()
