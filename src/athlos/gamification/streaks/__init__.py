"""Streaks: days and weeks in a row with an activity, in the person's time zone; a week may be missed
once a month without breaking the weekly streak."""
