"""Gear: shoes, bikes and other equipment, the distance and time they carried, and when they wear out."""
