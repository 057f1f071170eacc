"""Payments: payment intents, captures, refunds and gateway webhooks."""
