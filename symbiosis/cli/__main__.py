"""`python -m symbiosis.cli` — the same as the `symbiosis` console script."""

from symbiosis.cli import main

main()
