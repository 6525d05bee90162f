"""Downloadable templates per import kind: the header row with an example row, and the
meaning and allowed values of each column (a second sheet in Excel; in CSV, a comment row
starting with # that the import skips)."""
from __future__ import annotations

import csv
import io

import pandas as pd

from db.exports import neutralise, to_excel_bytes
from db.imports.parse import COMMENT
from db.imports.spec import DESCRIBE_HEADINGS, KINDS, describe
from i18n import _


def template_frame(kind_key: str) -> pd.DataFrame:
    kind = KINDS[kind_key]
    return pd.DataFrame([{c.name: c.example for c in kind.columns}], columns=kind.column_names)


def template_xlsx(kind_key: str) -> bytes:
    """Sheet 1: the columns with one example row (replace it); sheet 2: what each column means."""
    kind = KINDS[kind_key]
    about = pd.DataFrame(describe(kind))
    about.loc[len(about)] = {"column": "", "required": "", "meaning": _(kind.natural_key), "allowed values": "", "example": ""}
    about = about.rename(columns={k: _(v) for k, v in DESCRIBE_HEADINGS.items()})
    return to_excel_bytes({kind.key: template_frame(kind_key), _("columns"): about})


def template_csv(kind_key: str) -> bytes:
    """Header, then one comment row per column explaining it, then the example row."""
    kind = KINDS[kind_key]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(kind.column_names)
    for line in describe(kind):
        allowed = _(" Allowed: {values}.").format(values=line["allowed values"]) if line["allowed values"] else ""
        required = _(" Required.") if line["required"] == _("yes") else ""
        writer.writerow([f"{COMMENT} {line['column']}: {line['meaning']}{required}{allowed}"])
    writer.writerow([f"{COMMENT} {_(kind.natural_key)}"])
    writer.writerow([neutralise(c.example) for c in kind.columns])
    return buffer.getvalue().encode("utf-8-sig")
