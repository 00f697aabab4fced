"""Typing an activity in by hand in the web app: sport, start on one's own clock, duration, distance."""
