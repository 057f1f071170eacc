"""Accounts: identity, profiles and customer addresses."""
