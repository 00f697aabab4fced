"""A person's rights over their data: an export of everything they own, and erasure of the account."""
