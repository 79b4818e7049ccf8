"""The `kluis` command: one module per command group."""
