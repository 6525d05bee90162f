"""A report as PDF (fpdf2): headings, key figures, tables and charts, with the period, as-of
date and data version on the first page and in every footer.

Text uses DejaVu Sans (Unicode: accents, currency signs) when the font is installed (Debian's
fonts-dejavu-core); otherwise fpdf2's core Helvetica with the text reduced to Latin-1."""
from __future__ import annotations

import io
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import PageOrientation
from fpdf.fonts import FontFace

from db.reports.charts import png
from db.reports.document import Report, Section, Table
from db.vocab import ACCENT as ACCENT_HEX
from i18n import _, numbers

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
ACCENT = tuple(int(ACCENT_HEX[i:i + 2], 16) for i in (1, 3, 5))  # the theme's colour as fpdf takes it


def _font_files() -> tuple[Path, Path] | None:
    for folder in FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.exists() and bold.exists():
            return regular, bold
    return None


class _Document(FPDF):
    def __init__(self, report: Report, unicode_font: bool):
        super().__init__(format="A4")
        self.report = report
        self.family = "Helvetica"
        fonts = _font_files() if unicode_font else None
        if fonts:
            self.add_font("DejaVu", "", str(fonts[0]))
            self.add_font("DejaVu", "B", str(fonts[1]))
            self.family = "DejaVu"
        self.unicode = fonts is not None
        self.set_auto_page_break(True, margin=18)
        self.set_margins(18, 16, 18)

    def text_(self, text: str) -> str:
        """Text the current font can draw."""
        text = str(text)
        if self.unicode:
            return text
        replacements = {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-",
                        "\u00a0": " ", "\u202f": " ", "\u2026": "..."}
        for bad, good in replacements.items():
            text = text.replace(bad, good)
        return text.encode("latin-1", "replace").decode("latin-1")

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(self.family, "", 8)
        self.set_text_color(110, 110, 110)
        line = _("{title} | as of {as_of} | data version {version} | page {page}").format(
            title=self.report.subtitle, as_of=numbers.day(self.report.as_of), version=self.report.data_version,
            page=self.page_no())
        self.cell(0, 6, self.text_(line), align="C")
        self.set_text_color(0, 0, 0)


def render(report: Report, *, unicode_font: bool = True, compress: bool = True) -> bytes:
    """The report as PDF bytes."""
    pdf = _Document(report, unicode_font)
    pdf.compress = compress
    pdf.set_title(pdf.text_(report.title))
    pdf.set_creator("ICWG dashboard")
    pdf.add_page()
    pdf.set_font(pdf.family, "B", 17)
    pdf.set_text_color(*ACCENT)
    pdf.multi_cell(0, 8, pdf.text_(report.title), new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(pdf.family, "", 12)
    pdf.multi_cell(0, 6, pdf.text_(report.subtitle), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font(pdf.family, "", 9)
    for line in report.meta_lines():
        pdf.cell(0, 5, pdf.text_(line), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    for section in report.sections:
        _section(pdf, section)
    return bytes(pdf.output())


def _section(pdf: _Document, section: Section) -> None:
    orientation = PageOrientation.LANDSCAPE if section.landscape else PageOrientation.PORTRAIT
    if orientation is not pdf.cur_orientation:
        pdf.add_page(orientation=orientation)
    elif pdf.get_y() > pdf.h - 50:
        pdf.add_page()
    pdf.set_font(pdf.family, "B", 14 if section.level == 1 else 12)
    pdf.set_text_color(*ACCENT)
    pdf.ln(2)
    pdf.multi_cell(0, 7, pdf.text_(section.heading), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(pdf.family, "", 10)
    for paragraph in section.paragraphs:
        pdf.multi_cell(0, 5, pdf.text_(paragraph), new_x="LMARGIN", new_y="NEXT", align="L")
        pdf.ln(1)
    if section.figures:
        _figures(pdf, section.figures)
    for chart in section.charts:
        _chart(pdf, chart)
    for table in section.tables:
        _table(pdf, table)


def _figures(pdf: _Document, figures: list[tuple[str, object]]) -> None:
    pdf.set_font(pdf.family, "", 10)
    with pdf.table(col_widths=(3, 1), first_row_as_headings=False, line_height=6,
                   borders_layout="HORIZONTAL_LINES", width=150, align="LEFT") as grid:
        for name, value in figures:
            row = grid.row()
            row.cell(pdf.text_(name))
            row.cell(pdf.text_(value), style=FontFace(emphasis="BOLD"))
    pdf.ln(2)


def _chart(pdf: _Document, chart) -> None:
    image = png(chart)
    if image is None:
        pdf.multi_cell(0, 5, pdf.text_(_("This chart could not be drawn.")), new_x="LMARGIN", new_y="NEXT")
        return
    from PIL import Image

    width_px, height_px = Image.open(io.BytesIO(image)).size
    width = min(170.0, pdf.w - pdf.l_margin - pdf.r_margin)
    height = width * height_px / width_px
    if pdf.get_y() + height > pdf.h - 20:
        pdf.add_page()
    pdf.image(io.BytesIO(image), x=pdf.l_margin, w=width)
    pdf.ln(2)


TABLE_FONT = 8
SMALLEST_FONT = 5.5
WIDEST = 70.0  # mm: a column of long text wraps beyond this


def _layout(pdf: _Document, frame) -> tuple[list[float], float]:
    """Column widths (mm) and font size, measured in the table's fonts: a column is never
    narrower than its longest word, the header's in bold (so "Women", dates and case numbers
    do not break); the room left goes to the columns with longer text; a table too wide for
    that gets a smaller font."""
    pad = 2 * pdf.c_margin + pdf.line_width + 0.4  # what a cell keeps around its text
    least, wanted = [], []
    for column in frame.columns:
        values = [pdf.text_(v) for v in frame[column].head(100)]
        pdf.set_font(pdf.family, "B", TABLE_FONT)
        words = [pdf.get_string_width(word) for word in pdf.text_(column).split()]
        pdf.set_font(pdf.family, "", TABLE_FONT)
        words += [pdf.get_string_width(word) for value in values for word in value.split()]
        longest = max((pdf.get_string_width(value) for value in values), default=0.0)
        least.append(max(words, default=5.0) + pad)
        wanted.append(max(least[-1], min(WIDEST, longest + pad)))
    room = pdf.epw - sum(least)
    if sum(wanted) <= pdf.epw:
        return wanted, TABLE_FONT
    if room < 0:  # text widths shrink with the font, the padding does not
        text = sum(least) - pad * len(least)
        size = max(SMALLEST_FONT, TABLE_FONT * (pdf.epw - pad * len(least)) / text)
        return [pad + (w - pad) * size / TABLE_FONT for w in least], size
    extra = [w - m for w, m in zip(wanted, least)]
    return [m + room * e / sum(extra) for m, e in zip(least, extra)], TABLE_FONT


def _table(pdf: _Document, table: Table) -> None:
    pdf.set_font(pdf.family, "B", 10)
    if pdf.get_y() > pdf.h - 40:
        pdf.add_page()
    pdf.multi_cell(0, 6, pdf.text_(table.name), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(pdf.family, "", 8)
    if table.frame.empty:
        pdf.multi_cell(0, 5, pdf.text_(table.empty_note or _("no data")), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        return
    frame, note = table.printed()
    widths, size = _layout(pdf, frame)
    pdf.set_font(pdf.family, "", size)
    with pdf.table(col_widths=widths, line_height=4.5, text_align="LEFT",
                   headings_style=FontFace(emphasis="BOLD", fill_color=(230, 238, 240)),
                   borders_layout="SINGLE_TOP_LINE") as grid:
        header = grid.row()
        for column in frame.columns:
            header.cell(pdf.text_(column))
        for values in frame.itertuples(index=False):
            row = grid.row()
            for value in values:
                row.cell(pdf.text_("" if value is None else value))
    if note:
        pdf.set_font(pdf.family, "", 8)
        pdf.multi_cell(0, 5, pdf.text_(note), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
