"""Template tags of the ops app (number formats of the staff pages)."""
