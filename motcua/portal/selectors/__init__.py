"""Read queries of the citizen's side, split by use case."""
