"""`python -m decompose`."""

from decompose.cli import main

main()
