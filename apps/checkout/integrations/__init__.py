"""Third-party clients of the checkout app."""
