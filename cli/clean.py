"""Command of the cleaning stage: clean."""
