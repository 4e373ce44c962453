"""People and permissions: users, sign-in, who may see what (``Viewer``), and the
audit log of every write."""
