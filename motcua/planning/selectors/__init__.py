"""Read queries of planning: a service point's queue history, the saved staffing plans."""
