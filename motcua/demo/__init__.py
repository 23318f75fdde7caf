"""Demonstration data: the demo accounts (one per role) and generated citizens, and their removal."""
