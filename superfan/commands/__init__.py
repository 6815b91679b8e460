"""CLI commands, one module per area (registered in superfan.cli)."""
