"""The demo world: ``athlos seed-demo``."""
