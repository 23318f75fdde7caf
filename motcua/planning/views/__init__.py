"""Planning's pages."""
