"""The domain model: attrs classes for early help records (private package)."""
