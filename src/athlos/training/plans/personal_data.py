"""Training's part of a person's data: their plans and planned workouts (workouts erased first)."""

from __future__ import annotations

from athlos.core import data_rights
from athlos.training.plans.models import PlannedWorkout, TrainingPlan

data_rights.register_owned_tables("training", (PlannedWorkout, TrainingPlan))
