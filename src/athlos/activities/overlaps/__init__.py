"""Overlapping activities: finding the ones recorded at the same time, and merging them into one."""
