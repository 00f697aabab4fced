"""What training plans tell their person: the morning reminder of the day's planned workout, linked
to the workout's page (``training/plans/reminders.py`` decides when it is due and whether it still
applies)."""

from __future__ import annotations

from athlos.notifications.registry import (
    ACTIVITY,
    EMAIL,
    INBOX,
    PUSH,
    TELEGRAM,
    Gettext,
    NotificationType,
    Params,
    payload_object,
    types,
)
from athlos.training.plans.titles import Described, workout_title


def _texts(_: Gettext, params: Params) -> tuple[str, str]:
    title = _("Today: %(workout)s") % {"workout": workout_title(Described.of(params), _)}
    return title, _("The workout of your plan for today. Record or upload it and it is ticked off.")


types.add(
    NotificationType(
        name="training.workout_reminder_due",
        event="training.workout_reminder_due",
        category=ACTIVITY,
        texts=_texts,
        label=lambda _: _("Reminders of planned workouts"),
        channels=frozenset({INBOX, PUSH}),
        optional_channels=frozenset({EMAIL, TELEGRAM}),
        link=lambda p: f"/training/plan/workouts/{p['workout_id']}",
        source=payload_object("planned_workout", "workout_id"),
        context=payload_object("training_plan", "plan_id"),
    )
)
