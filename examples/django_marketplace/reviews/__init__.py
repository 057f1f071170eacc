"""Reviews: product ratings, helpfulness votes and seller responses."""
