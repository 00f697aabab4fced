"""A person's profile: who they are, their avatar, and their privacy settings."""
