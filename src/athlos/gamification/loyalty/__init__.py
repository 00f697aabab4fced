"""The loyalty ledger: points become a balance held as immutable double-entry transfers."""
