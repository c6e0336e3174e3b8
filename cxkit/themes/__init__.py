"""Comment themes."""
