"""Interface translations. Message catalogues live in i18n/locales/<lang>/LC_MESSAGES/messages.po
(gettext format, extracted and checked with Babel). The language of the current script run is
held in a context variable that app.py sets from the logged-in user's preference, so plain
modules (reports, calendar files, error messages) translate without importing Streamlit."""
from __future__ import annotations

import contextvars
from functools import lru_cache
from pathlib import Path

LOCALES_DIR = Path(__file__).parent / "locales"
# The languages users may choose, each named in itself: the one list the sidebar, the accounts'
# allowed values (db.vocab.Language), the catalogues and their test read.
LANGUAGE_NAMES = {"en": "English", "fr": "Français", "es": "Español", "pt": "Português"}
LANGUAGES = tuple(LANGUAGE_NAMES)
DEFAULT_LANGUAGE = "en"

_language: contextvars.ContextVar[str] = contextvars.ContextVar("language", default=DEFAULT_LANGUAGE)


def N_(message: str) -> str:
    """Marks a string for extraction without translating it here (it is translated on display)."""
    return message


@lru_cache(maxsize=None)
def catalogue(language: str) -> dict[str, str]:
    """The translated, non-fuzzy messages of one language."""
    path = LOCALES_DIR / language / "LC_MESSAGES" / "messages.po"
    if language == DEFAULT_LANGUAGE or not path.exists():
        return {}
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        po = read_po(handle)
    return {_key(m.context, m.id): m.string for m in po
            if isinstance(m.id, str) and isinstance(m.string, str) and m.id and m.string and not m.fuzzy}


def _key(context: str | None, message: str) -> str:
    """A catalogue key: the msgid, prefixed by its context as gettext does (context EOT msgid)."""
    return f"{context}\x04{message}" if context else message


def set_language(language: str | None) -> None:
    _language.set(language if language in LANGUAGES else DEFAULT_LANGUAGE)


def current_language() -> str:
    return _language.get()


def _(message: str) -> str:
    """Translate a message into the current run's language (English when untranslated)."""
    return catalogue(_language.get()).get(message, message)


def C_(context: str, message: str) -> str:
    """Translate a message that needs a context to be translated right (pgettext): the same
    English word as a verb on a link ("Open" the record) and as a status ("Open")."""
    return catalogue(_language.get()).get(_key(context, message), message)
