"""Orders: carts, checkout, orders and their lifecycle."""
