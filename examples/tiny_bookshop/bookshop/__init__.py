"""Tiny bookshop: a small monolith selling books online.

Two parts live side by side in this package:

* the catalog -- ``books`` (titles, ISBNs, search) and ``inventory`` (stock per
  book, reservations held for orders, reorder reports);
* ordering -- ``orders`` (placing and cancelling orders), ``payments`` (card
  authorisation, capture and refunds) and ``notifications`` (order e-mails and
  receipts).

Ordering reaches the catalog only through ``inventory.reserve`` and
``inventory.release``.
"""
