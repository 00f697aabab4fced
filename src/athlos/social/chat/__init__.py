"""Club chat: members of a club talk to each other, live."""
