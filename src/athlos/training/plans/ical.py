"""A plan as iCalendar (RFC 5545), made with the ``icalendar`` library: one all-day entry per planned
workout, titled in the person's language."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from icalendar import Calendar, Event

from athlos.training.plans.models import PlannedWorkout, TrainingPlan

PRODUCT = "-//Athlos//Training plan//EN"


def calendar(
    plan: TrainingPlan,
    workouts: list[PlannedWorkout],
    title_of: Callable[[PlannedWorkout], str],
    base_url: str,
) -> bytes:
    feed = Calendar()
    feed.add("prodid", PRODUCT)
    feed.add("version", "2.0")
    feed.add("x-wr-calname", "Athlos")
    for workout in workouts:
        entry = Event()
        entry.add("uid", f"{workout.id}@athlos")
        entry.add("dtstamp", plan.created_at)
        entry.add("dtstart", workout.day)
        entry.add("dtend", workout.day + timedelta(days=1))
        entry.add("summary", title_of(workout))
        entry.add("url", f"{base_url}/training/plan/workouts/{workout.id}")
        entry.add("status", "CONFIRMED")
        feed.add_component(entry)
    return feed.to_ical()
