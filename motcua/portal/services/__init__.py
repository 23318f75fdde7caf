"""Every write of the portal is one function here (split by use case)."""
