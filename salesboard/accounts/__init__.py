"""People and permissions.

- ``access``: ``Viewer`` (who is asking) and ``scoped_filter`` (what they may read), applied
  inside every query; ``require`` for writes;
- ``auth``: argon2 passwords, lockout, server-side sessions with idle and absolute timeouts;
- ``users`` (admin changes, identity-provider sign-in) and ``user_directory`` (lists and
  lookups); ``demo_accounts``: the demo's sign-in hints;
- ``audit`` (every write with who, when, old and new values) and ``audit_search``.
"""
