"""Read queries of planning, one module per subject."""
