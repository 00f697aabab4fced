"""Fair play: which activities count in leaderboards, challenges and races, flags and their review."""
