"""Notifications: one module tells people things, fed by other domains' events.

A notification type (``registry``, ``types/``) turns an event into notifications: inbox rows written at
once, and one delivery job per further channel (email, Web Push, Telegram) with the person's choices,
quiet hours and caps applied when it runs.
"""
