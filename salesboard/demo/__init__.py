"""The deterministic demo company: organisation, customers, deals with their stage history,
key actions, visits, collections, goals, pipeline events and feedback forms.

``generate`` is the entry point; the rest is what callers check the result against.
"""

from salesboard.demo.context import quarter_label
from salesboard.demo.generator import DemoSummary, check_backend, generate
from salesboard.demo.progress import to_stderr
from salesboard.demo.sizes import MISALIGNED_GOAL, SIZES, WAN_YUAN

__all__ = [
    "MISALIGNED_GOAL",
    "SIZES",
    "WAN_YUAN",
    "DemoSummary",
    "check_backend",
    "generate",
    "quarter_label",
    "to_stderr",
]
