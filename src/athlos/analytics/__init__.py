"""Analytics: progress totals, personal records, active days and regional comparison.

Kept as a read model of its own, fed by ``activity.*`` and ``account.*`` events; it never reads the
activities' or accounts' tables.
"""
