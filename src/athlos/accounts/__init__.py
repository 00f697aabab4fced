"""Accounts: users, passwords, tokens and sessions, two-factor authentication, account email."""
