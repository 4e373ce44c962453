"""The store: settings, the one engine/session factory, the tables, schema
migrations, reference data, backup, and the query helpers every feature shares."""
