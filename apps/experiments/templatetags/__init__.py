"""Template tags of the experiments app (flags, variants, ops number formats)."""
