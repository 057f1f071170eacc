"""Tests for the orders app."""
