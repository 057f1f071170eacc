"""Inventory: warehouses, stock levels and the stock movement ledger."""
