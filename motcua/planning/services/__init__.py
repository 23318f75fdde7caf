"""Planning's use cases."""
