"""Leaderboards: weekly, monthly and all-time totals per sport, ranked for everyone, a country, a region,
an age group, a sex, a club or the people one follows; in SQL, projected into Redis sorted sets."""
