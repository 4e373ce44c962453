"""Blank templates per import kind: an XLSX with the header, one example row and a notes
sheet (each field: required or not, format, accepted header spellings) in zh or en."""

from __future__ import annotations

import pandas as pd
from sqlmodel import Session

from salesboard.i18n import t
from salesboard.importing.kinds import KINDS, FieldSpec, KindSpec
from salesboard.importing.lookups import Reference, load_reference
from salesboard.importing.vocabulary import CHOICES
from salesboard.outputs.export import Sheet, to_xlsx


def _example(spec: FieldSpec, lang: str, reference: Reference | None) -> object:
    """The example value of a field: from the store when it has one (a real stage, region,
    product line), else the spec's."""
    if reference is not None and spec.type == "ref":
        if spec.ref == "stage" and spec.name == "stage":
            stage = next((s for s in reference.stages if s.kind == "open" and s.position > 1),
                         None)  # fmt: skip
            if stage:
                return stage.name_zh if lang == "zh" else stage.name_en
        pools = {"region": reference.regions, "product_line": reference.product_lines}
        if spec.ref in pools and pools[spec.ref]:
            _, zh, en = next(iter(pools[spec.ref].values()))
            return zh if lang == "zh" else en
    return spec.example_zh if lang == "zh" else spec.example_en


def _format(spec: FieldSpec, lang: str) -> str:
    if spec.type == "choice":
        return t(
            "import.type.choice", lang, choices=", ".join(str(c) for c in CHOICES[spec.choices])
        )
    return t(f"import.type.{spec.type}", lang)


def blank_templates(session: Session, lang: str, kinds: tuple[str, ...]) -> dict[str, bytes]:
    """The template workbook of each of ``kinds`` in ``lang``, with examples from the
    store's reference data (the upload page caches them: six workbooks were most of its
    rerun)."""
    reference = load_reference(session)
    return {kind: blank_template(kind, lang, reference) for kind in kinds}


def blank_template(kind: KindSpec | str, lang: str, reference: Reference | None = None) -> bytes:
    """The template workbook of ``kind`` in ``lang``."""
    spec = KINDS[kind] if isinstance(kind, str) else kind
    headers = [f.header(lang) for f in spec.fields]
    example = [_example(f, lang, reference) for f in spec.fields]
    data = pd.DataFrame([example], columns=headers)
    notes = pd.DataFrame(
        {
            t("import.template.field", lang): headers,
            t("import.template.required", lang): [
                t("import.template.yes", lang) if f.required else "" for f in spec.fields
            ],
            t("import.template.format", lang): [_format(f, lang) for f in spec.fields],
            "zh / en": ["、".join(f.synonyms()[:6]) for f in spec.fields],
        }
    )
    extra = pd.DataFrame({t("import.template.field", lang): [
        t("import.template.example_note", lang), *(t(key, lang) for key in spec.notes)
    ]})  # fmt: skip
    return to_xlsx(
        [
            Sheet(t(f"import.kind.{spec.name}", lang), data),
            Sheet(
                t("import.template.notes_sheet", lang), pd.concat([notes, extra], ignore_index=True)
            ),
        ]
    )


def template_file_name(kind: str, lang: str) -> str:
    """The download name of a template, e.g. 导入模板-商机.xlsx / import-template-opportunities.xlsx."""
    if lang == "zh":
        return f"导入模板-{t(f'import.kind.{kind}', 'zh')}.xlsx"
    return f"import-template-{kind}.xlsx"
