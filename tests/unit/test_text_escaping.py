"""components/text.md: any stored text, put into Markdown, shows exactly as typed, with no link,
image or formatting (issue 12, item 11). Checked with the Markdown parser the page tests use."""
from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from components.text import fmt, md
from tests.app.markdown_view import rendered

# Letters, digits, every ASCII punctuation mark and the words that start links.
PIECES = st.sampled_from(list("aZ09 !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~") + ["http://", "www.", "mailto:", "&amp;",
                                                                           "a@b.com", ":smile:", "\n"])


def shown(text: str) -> str:
    """What a reader sees of `text` as typed: Markdown drops spaces at a line's ends, and blank lines
    between paragraphs show as one."""
    return re.sub(r"\n{3,}", "\n\n", "\n".join(line.strip() for line in text.split("\n"))).strip()


@settings(max_examples=400, deadline=None)
@given(st.lists(PIECES, max_size=30).map("".join))
def test_any_text_shows_as_typed_with_no_link_or_image(text):
    out = rendered(md(text))
    assert (out.links, out.images) == ([], [])
    assert out.text == shown(text)


def test_a_planted_link_and_image_show_as_their_characters():
    planted = "![x](http://evil.example/a.png) [Session expired - log in again](http://evil.example) www.evil.com"
    out = rendered(md(planted))
    assert (out.text, out.links, out.images) == (planted, [], [])


def test_a_template_keeps_its_own_markdown_and_escapes_only_the_values():
    out = rendered(fmt("**{name}** joined", name="[x](http://evil.example)"))
    assert out.text == "[x](http://evil.example) joined" and out.links == []
