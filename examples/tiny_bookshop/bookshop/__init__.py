"""Tiny bookshop: a small monolith selling books online.

Modules: ``books`` (catalogue), ``inventory`` (stock levels),
``orders`` and ``payments`` (order placement and card charges) and
``notifications`` (customer e-mails).
"""
