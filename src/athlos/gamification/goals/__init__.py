"""Personal goals: distance, time, elevation or activities, per week, month, year or by a date."""
