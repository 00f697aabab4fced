"""Links to the shop through a click tracker, purchases confirmed by a signed webhook, the gear offer."""
