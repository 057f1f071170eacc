"""Catalog: categories, products, images and product search."""
