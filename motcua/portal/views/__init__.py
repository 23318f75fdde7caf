"""The portal's pages, one module per part (accounts, my dossiers, …)."""
