"""Social: follows and blocks, the home feed, kudos and comments between the people of Athlos."""
