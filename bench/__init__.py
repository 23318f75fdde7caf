"""Benchmarks: each script prints its figures and a RATIO line against a baseline measured in the same run."""
