"""The citizen's pages, split by use case."""
