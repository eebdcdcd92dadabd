"""The ``veil`` subcommands; ``scanner.cli`` gathers them into one group."""
