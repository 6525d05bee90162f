"""Reports people hand on: a company's annual engagement report and a working group's quarterly
progress report. Builders (company_report, group_report) gather the figures from the metric
and read modules into a neutral `document.Report`; renderers (pdf, docx, xlsx) lay it out."""

FORMATS = {  # file extension -> MIME type
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def render(report, fmt: str) -> bytes:
    """The report as a file of the given format (pdf, docx or xlsx)."""
    from db.reports import docx, pdf, xlsx

    return {"pdf": pdf.render, "docx": docx.render, "xlsx": xlsx.render}[fmt](report)
