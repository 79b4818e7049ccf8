"""`python -m kluis` runs the `kluis` command."""

from kluis.cli.main import main

main()
