"""Business services: the use cases of the shop, one module per concern."""
