"""Competitions: races people register for and run, either inside a time window or live together."""
