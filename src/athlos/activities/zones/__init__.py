"""Privacy zones: circles around places a person keeps private, hidden from others' view of a track."""
