"""What a reader sees of text Streamlit draws as Markdown (titles, captions, markdown, alerts,
widget, tab and expander labels): parsed with markdown-it as CommonMark with GFM's tables,
strikethrough and bare-address links, as Streamlit's react-markdown with remark-gfm draws it.
Tests compare the words shown and look for links and images, instead of the escaped source."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt

_PARSER = MarkdownIt("commonmark", {"linkify": True}).enable(["table", "strikethrough", "linkify"])


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
    out.text = re.sub(r"\n{3,}", "\n\n", "".join(words)).strip()
    return out
