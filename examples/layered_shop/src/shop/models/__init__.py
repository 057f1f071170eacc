"""ORM models, one module per group of related tables."""
