"""Commands of the exports stage: pull, agreement, export."""
