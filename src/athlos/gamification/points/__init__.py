"""Points for the effort of every activity, a daily cap, levels and the history of points."""
