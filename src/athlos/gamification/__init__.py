"""Gamification: points and levels for every activity, personal goals, badges and streaks."""
