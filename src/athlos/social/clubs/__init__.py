"""Clubs: people who train together around a sport and a place, and their events."""
