"""A report as a Word document (python-docx) analysts can edit: real headings, paragraphs,
tables and the charts as pictures."""
from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.shared import Inches, Pt, RGBColor

from db.reports.charts import png
from db.reports.document import Report, Table
from i18n import _


def render(report: Report) -> bytes:
    document = Document()
    document.core_properties.title = report.title
    document.core_properties.comments = " | ".join(report.meta_lines())
    document.styles["Normal"].font.size = Pt(10)
    document.add_heading(report.title, level=0)
    document.add_paragraph(report.subtitle)
    for line in report.meta_lines():
        meta = document.add_paragraph(line)
        meta.runs[0].font.color.rgb = RGBColor(0x55, 0x55, 0x55)
    for section in report.sections:
        _orientation(document, section.landscape)
        document.add_heading(section.heading, level=section.level)
        for paragraph in section.paragraphs:
            document.add_paragraph(paragraph)
        if section.figures:
            grid = document.add_table(rows=0, cols=2)
            grid.style = "Light List Accent 1"
            for name, value in section.figures:
                cells = grid.add_row().cells
                cells[0].text, cells[1].text = str(name), str(value)
            document.add_paragraph()
        for chart in section.charts:
            image = png(chart)
            if image is None:
                document.add_paragraph(_("This chart could not be drawn."))
            else:
                document.add_picture(io.BytesIO(image), width=Inches(6))
        for table in section.tables:
            _table(document, table)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _orientation(document, landscape: bool) -> None:
    """A new page section when the orientation changes (a table of long text is landscape)."""
    page = document.sections[-1]
    if (page.orientation == WD_ORIENT.LANDSCAPE) == landscape:
        return
    page = document.add_section(WD_SECTION.NEW_PAGE)
    page.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    page.page_width, page.page_height = page.page_height, page.page_width


def _table(document, table: Table) -> None:
    document.add_paragraph(table.name, style="Heading 4")
    if table.frame.empty:
        document.add_paragraph(table.empty_note or _("no data"))
        return
    frame, note = table.printed()
    grid = document.add_table(rows=1, cols=len(frame.columns))
    grid.style = "Light Grid Accent 1"
    for cell, column in zip(grid.rows[0].cells, frame.columns):
        cell.text = str(column)
    for values in frame.itertuples(index=False):
        for cell, value in zip(grid.add_row().cells, values):
            cell.text = "" if value is None else str(value)
    document.add_paragraph(note or "")
