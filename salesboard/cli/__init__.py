"""The command line, ``python -m salesboard``: one module per command group."""
