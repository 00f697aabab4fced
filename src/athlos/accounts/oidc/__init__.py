"""Signing in with an OpenID Connect provider, and linking providers to an account."""
