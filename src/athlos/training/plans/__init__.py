"""Training plans: running plans towards a race, and yoga, mobility and strength plans, as a calendar
of workouts that finished activities tick off."""
