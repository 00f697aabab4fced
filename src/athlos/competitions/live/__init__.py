"""Live races: per-participant progress streamed from phones, kept in Redis, ranked within a second."""
