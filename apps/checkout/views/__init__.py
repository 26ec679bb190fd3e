"""Server-rendered shopper pages of the checkout app (cart, checkout, confirmation, express, account)."""
