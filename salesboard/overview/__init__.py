"""The Overview page's figures (``figures``): won vs goal, open pipeline, overdue share and
win rate for a viewer and period, built on the features' own functions so each figure reads
the same here as on its feature's page."""
