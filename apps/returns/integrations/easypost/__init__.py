"""EasyPost integration (return labels)."""
