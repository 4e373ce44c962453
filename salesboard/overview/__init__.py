"""The Overview page's figures: won vs goal, open pipeline, overdue share, win rate."""
