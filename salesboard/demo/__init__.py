"""The deterministic demo company: organisation, customers, deals with their stage history,
key actions, visits, collections, goals, pipeline events and feedback forms."""
