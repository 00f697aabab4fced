"""Who follows whom, follow requests to people who approve their followers, and blocks."""
