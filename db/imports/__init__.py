"""Imports: CSV and Excel files of organisations, activities with attendance, issues and
contributions, and a coordinator's offline workbook.

The road a file takes: `parse` reads it into rows (spreadsheet row numbers kept), `validate`
turns every row into planned writes using the write layer's Create models and checks (any
error rejects the whole file, listing row, column and reason), `apply` runs the plan in ONE
transaction with ONE audit entry (action bulk_load) holding the counts. `templates` makes the
downloadable template per kind, `offline` the round-trip workbook of one working group."""
