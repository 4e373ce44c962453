"""Evaluating people (issue 16, seed 000 阶段三 / seed 002): scorecards of process and result
metrics under stored, versioned weight sets, the 1–5 ratings managers give deals at stage
exit, and what top performers do differently from the rest."""
