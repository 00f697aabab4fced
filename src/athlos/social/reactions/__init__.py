"""Kudos and comments on activities."""
