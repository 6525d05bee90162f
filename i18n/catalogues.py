"""Keep the translation catalogues in step with the code:
`python -m i18n.catalogues` extracts every _() and N_() message from the code into
i18n/locales/messages.pot and merges it into each language's messages.po (new messages come in
untranslated, changed ones fuzzy, so the catalogue test shows what to translate)."""
from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from i18n import DEFAULT_LANGUAGE, LANGUAGES, LOCALES_DIR

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIRS = ("app.py", "pages", "components", "db", "i18n")
KEYWORDS = {"_": None, "N_": None, "C_": ((1, "c"), 2)}


def template() -> Catalog:
    """Every message the code marks for translation."""
    catalog = Catalog(project="icwg-dashboard", charset="utf-8")
    for source in SOURCE_DIRS:
        path = ROOT / source
        if path.is_file():
            from babel.messages.extract import extract_from_file

            found = ((str(path.name), lineno, message, comments, context)
                     for lineno, message, comments, context in extract_from_file("python", str(path), keywords=KEYWORDS))
        else:
            found = extract_from_dir(str(path), method_map=[("**.py", "python")], keywords=KEYWORDS)
        for filename, lineno, message, comments, context in found:
            if isinstance(message, str) and message:
                catalog.add(message, None, [(f"{source}/{filename}" if path.is_dir() else filename, lineno)],
                            auto_comments=comments, context=context)
    return catalog


def po_path(language: str) -> Path:
    return LOCALES_DIR / language / "LC_MESSAGES" / "messages.po"


def load(language: str) -> Catalog:
    path = po_path(language)
    if not path.exists():
        return Catalog(locale=language, project="icwg-dashboard", charset="utf-8")
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


def save(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, sort_output=True)


def update() -> None:
    pot = template()
    save(pot, LOCALES_DIR / "messages.pot")
    for language in LANGUAGES:
        if language == DEFAULT_LANGUAGE:
            continue
        catalog = load(language)
        catalog.update(pot, no_fuzzy_matching=False)
        catalog.obsolete.clear()
        save(catalog, po_path(language))
        missing = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
        print(f"{language}: {len(catalog) - 1} messages, {len(missing)} to translate or review")


if __name__ == "__main__":
    update()
    sys.exit(0)
