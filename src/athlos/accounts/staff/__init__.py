"""Staff areas: what part of the platform a staff member works in, and the one rule of who may."""
