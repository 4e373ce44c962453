"""The command line, ``python -m salesboard``.

``main`` builds the parser from the command groups and turns user errors into one line and
exit status 1; ``common`` holds what they share (``CliError``, the engine, ``--as-user``,
writing output, the CLI's identity in the audit log). One module per group: ``store``
(migrate, init-db, demo, backup, restore), ``users``, ``imports``, ``reports``.
"""
