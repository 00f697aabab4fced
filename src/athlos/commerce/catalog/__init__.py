"""The brand's product catalogue, imported from a JSON or CSV feed; products are retired, never deleted."""
