"""Live recording: a phone or a registered device sends points while the athlete moves; finishing
turns the recording into an activity."""
