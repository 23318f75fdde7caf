"""Every write on the citizen's side is one function here, split by use case."""
