"""Club events: a group run or a yoga session with a time, a meeting point, RSVPs and a reminder."""
