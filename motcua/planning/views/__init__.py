"""Pages of planning, one module per subject."""
