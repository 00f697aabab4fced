"""Keeping people safe from each other: reports of people and comments, limits on how fast one posts."""
