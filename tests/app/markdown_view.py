"""What a reader sees of text Streamlit draws as Markdown (titles, captions, markdown, alerts,
widget, tab and expander labels): parsed with markdown-it as CommonMark with GFM's tables,
strikethrough and bare-address links, as Streamlit's react-markdown with remark-gfm draws it.
Streamlit's renderer also links bare addresses found in the text after it is unescaped (GFM's
autolink literals, done on the parsed text by mdast-util-gfm-autolink-literal): so does this.
Tests compare the words shown and look for links and images, instead of the escaped source."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt

_PARSER = MarkdownIt("commonmark").enable(["table", "strikethrough"])
# mdast-util-gfm-autolink-literal's patterns (JavaScript's \w is ASCII): after a start, a space
# or punctuation; a domain with a dot.
_GFM_URL = re.compile(r"(?<![A-Za-z0-9])(?:https?://|www(?=\.))[-.\w]*\.[-.\w]+[^ \t\r\n]*", re.I | re.ASCII)
_GFM_EMAIL = re.compile(r"(?<![/\w.+-])[-.\w+]+@[-\w]+(?:\.[-\w]+)+", re.ASCII)
WORD_JOINER = "\u2060"  # zero-width: the reader does not see it


@dataclass
class Rendered:
    text: str = ""
    links: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)


def rendered(source) -> Rendered:
    out = Rendered()
    words: list[str] = []

    def walk(tokens):
        for token in tokens:
            if token.type == "link_open":
                out.links.append(token.attrGet("href") or "")
            elif token.type == "image":
                out.images.append(token.attrGet("src") or "")  # its alt text is its children
            elif token.type in ("text", "code_inline", "html_inline"):
                words.append(token.content)
            elif token.type in ("softbreak", "hardbreak"):
                words.append("\n")
            elif token.type in ("code_block", "fence", "html_block"):
                words.append(token.content)
            elif token.type.endswith("_close") and token.block:
                words.append("\n\n")
            if token.children:
                walk(token.children)

    walk(_PARSER.parse("" if source is None else str(source)))
    joined = "".join(words)
    out.links += _GFM_URL.findall(joined) + _GFM_EMAIL.findall(joined)
    out.text = re.sub(r"\n{3,}", "\n\n", joined.replace(WORD_JOINER, "")).strip()
    return out
