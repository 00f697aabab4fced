"""Challenges: time-bound goals for everyone, a country or region, or a club; joined, ranked, completed."""
