"""Template tags of the experiments app (flags and variants in shopper pages)."""
