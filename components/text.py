"""Stored text shown through Streamlit's Markdown elements (titles, captions, markdown, alerts)
as the text it is: every character Markdown or Streamlit would act on is escaped, so a name like
`[Session expired](http://...)` or `![x](http://...)` is shown, not followed or fetched, and
`:red[...]`, `:material/...:` or `$...$` stay literal. Templates are our own translated text;
only the values put into them are escaped."""
from __future__ import annotations

import re

# CommonMark lets any ASCII punctuation be escaped with a backslash. Escaped: what starts a
# link or image ([ ] !), emphasis, code, headings, tables and strikethrough, HTML (< >), LaTeX ($)
# and entities (&). Ordinary punctuation (. , - ( ) :) stays as typed, so messages read and
# compare as written.
_ESCAPED = re.compile(r"[\\`*_\[\]!<>#|~$&]")
# Streamlit's renderer finds bare addresses ("http://...", "www.x.org", "a@b.org"), emoji and icon
# shortcodes (":smile:", ":material/home:") in the text after unescaping, so a backslash does not
# stop them: a word joiner (U+2060, invisible) inside each breaks the match instead.
_FOUND_AFTERWARDS = re.compile(r"(?<=http)(?=://)|(?<=https)(?=://)|(?<=www)(?=\.)|(?=@)|(?<=:)(?=[A-Za-z0-9_/+-]+:)",
                               re.IGNORECASE)
WORD_JOINER = "\u2060"

# At a line's start "+", "-" and "1." or "1)" open a list, "=" and "-" under a line make a heading.
_LINE_START = re.compile(r"^([ \t]*)([+=-]|\d{1,9}(?=[.)]))", re.MULTILINE)


def md(value) -> str:
    """`value` as Markdown that displays exactly as typed (line breaks kept)."""
    text = "" if value is None else str(value)
    escaped = _FOUND_AFTERWARDS.sub(WORD_JOINER, _ESCAPED.sub(lambda m: "\\" + m[0], text))
    escaped = _LINE_START.sub(lambda m: m[1] + (m[2] + "\\" if m[2][0].isdigit() else "\\" + m[2]), escaped)
    return escaped.replace("\n", "  \n")


def fmt(template: str, **values) -> str:
    """A translated template with its values escaped: fmt(_("Part of {parent}"), parent=name)."""
    return template.format(**{name: md(value) for name, value in values.items()})
