"""Improving the process and checking it worked (issue 16, seed 002 steps 1–5): improvement
actions (优化行动) created from a finding, before/after and pilot-vs-rest comparisons of their
target metric, and the best-practice library (知识库)."""
