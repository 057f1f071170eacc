"""decompose: read a Python monolith and propose how to cut it into microservices."""

__version__ = "0.1.0"

__all__ = ["__version__"]
