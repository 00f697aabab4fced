"""Helpers for tests of any domain: capturing the events a service call wrote."""

from athlos.core.testing.events import CapturedEvents, capture_events

__all__ = ["CapturedEvents", "capture_events"]
