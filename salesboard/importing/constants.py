"""One value for every row of a field the file lacks (issue 14 item 4): "all rows: 产品线 =
智能制造" in the upload page's mapping step, ``--set 产品线=智能制造`` on the command line.

The value becomes a column of the table (named "产品线（所有行）" / "Product line (all
rows)"), mapped to the field, so it is parsed and checked exactly like a cell and a problem
names that column."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import pandas as pd

from salesboard.i18n import TRANSLATIONS, t
from salesboard.importing.kinds import KindSpec
from salesboard.importing.mapping import auto_map, fields_of
from salesboard.importing.readers import RawTable


class ConstantError(ValueError):
    """``--set`` names no field of the kind; ``field`` is what was given."""

    def __init__(self, field: str, kind: str) -> None:
        super().__init__(f"{kind} has no field {field!r}")
        self.field = field
        self.kind = kind


def field_named(kind: KindSpec, name: str) -> str:
    """The field ``name`` stands for: a field name (``product_line``) or any header the
    mapping would take for it (产品线, Product line …). Raises ConstantError."""
    names = {spec.name for spec in fields_of(kind)}
    if name in names:
        return name
    matched = auto_map([name], kind)
    if len(matched) == 1:
        return next(iter(matched))
    raise ConstantError(name, kind.name)


def parse_assignments(kind: KindSpec, assignments: list[str]) -> dict[str, str]:
    """``["产品线=智能制造", …]`` as {field: value}; raises ConstantError for an unknown
    field and ValueError for text without ``=``."""
    constants: dict[str, str] = {}
    for assignment in assignments:
        name, sep, value = assignment.partition("=")
        if not sep or not name.strip():
            raise ValueError(f"--set {assignment!r}: write FIELD=VALUE")
        constants[field_named(kind, name.strip())] = value.strip()
    return constants


def constant_column(field: str, lang: str) -> str:
    """The name of the column that holds ``field``'s value for every row."""
    key = f"import.field.{field}"
    label = t(key, lang) if key in TRANSLATIONS else field
    return t("import.constant_column", lang, field=label)


def with_constants(
    table: RawTable, mapping: Mapping[str, str], constants: Mapping[str, str], lang: str
) -> tuple[RawTable, dict[str, str]]:
    """``table`` with one column per constant and ``mapping`` with each field mapped to it
    (a constant replaces a column the field was mapped to)."""
    if not constants:
        return table, dict(mapping)
    frame = table.frame.copy()
    columns, letters = list(table.columns), list(table.column_letters)
    mapping = dict(mapping)
    for field, value in constants.items():
        column = constant_column(field, lang)
        frame[column] = pd.Series([value] * len(frame), index=frame.index, dtype=object)
        if column not in columns:
            columns.append(column)
            letters.append("")
        mapping[field] = column
    return replace(table, frame=frame, columns=columns, column_letters=letters), mapping
