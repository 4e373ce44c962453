"""The company's own organisation, set up by an admin (issue 14): regions, teams (in a
region, led by managers — one manager may lead several teams), product lines, customer types
and lead sources, each with Chinese and English names.

- ``lists``: reading the five lists, adding to them, renaming and retiring entries (never
  deleting what records refer to), the managers of a team; every change audited (names that
  differ only in width, spaces or case are one name: ``salesboard.i18n.names``).
"""
