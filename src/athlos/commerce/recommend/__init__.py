"""Recommendations: a replacement for worn gear, and "For you" from an implicit-feedback model."""
