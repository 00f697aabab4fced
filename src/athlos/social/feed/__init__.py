"""The home feed: what the people someone follows have done, newest first (see docs/feed.md)."""
