"""The translation catalogues keep up with the code: every message the code marks with _() or N_()
has a translation in every language users may choose (French, Spanish, Portuguese) that is present, not empty, not fuzzy and carries the same
{placeholders}; every vocabulary value has a label; the run's language picks the catalogue."""
from __future__ import annotations

import string
from enum import StrEnum

import pytest

import db.vocab as vocab
import i18n
from i18n import catalogues

TRANSLATED = [language for language in i18n.LANGUAGES if language != i18n.DEFAULT_LANGUAGE]


@pytest.fixture(scope="module")
def template():
    return catalogues.template()


def _placeholders(message: str) -> list[str]:
    """The replacement fields of a str.format message, with their format specs."""
    return sorted(f"{name}:{spec}" for _text, name, spec, _conversion in string.Formatter().parse(message)
                  if name is not None)


def test_the_template_holds_the_code_messages(template):
    ids = {m.id for m in template if m.id}
    # A page title, a vocabulary label (N_) and a db/ error message are all extracted.
    assert {"Overview", "Critical", "Your role may not do this."} <= ids
    assert ("verb", "Open") in {(m.context, m.id) for m in template if m.context}  # C_() keeps its context
    assert len(ids) > 1000


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_catalogue_translates_every_message(template, language):
    catalog = {(m.context, m.id): m for m in catalogues.load(language) if m.id}
    wanted = [(m.context, m.id) for m in template if m.id]
    missing = [key for key in wanted if key not in catalog]
    empty = [key for key in wanted if key in catalog and not catalog[key].string]
    fuzzy = [key for key in wanted if key in catalog and catalog[key].fuzzy]
    assert not missing, f"{language}: {len(missing)} messages missing (run python -m i18n.catalogues): {missing[:20]}"
    assert not empty, f"{language}: {len(empty)} messages untranslated: {empty[:20]}"
    assert not fuzzy, f"{language}: {len(fuzzy)} fuzzy translations to review: {fuzzy[:20]}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_the_placeholders(template, language):
    catalog = {(m.context, m.id): m.string for m in catalogues.load(language) if m.id and m.string}
    wrong = [(m.id, catalog[m.context, m.id]) for m in template
             if (m.context, m.id) in catalog and _placeholders(catalog[m.context, m.id]) != _placeholders(m.id)]
    assert not wrong, f"{language}: placeholders differ from the msgid: {wrong[:10]}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_format_without_error(template, language):
    """Every translation accepts the arguments its English message accepts."""
    catalog = {m.id: m.string for m in catalogues.load(language) if m.id and m.string and not m.context}
    for msgid, translated in catalog.items():
        fields = [(name, spec) for _t, name, spec, _c in string.Formatter().parse(msgid) if name is not None]
        if fields and all(name and not spec for name, spec in fields):  # dates with a format spec: see above
            arguments = {name: "x" for name, _spec in fields}
            assert translated.format(**arguments), (msgid, translated)


def test_every_vocabulary_value_has_a_label():
    enums = [value for value in vars(vocab).values()
             if isinstance(value, type) and issubclass(value, StrEnum) and value is not StrEnum]
    assert len(enums) > 20
    unlabelled = [f"{enum.__name__}.{member.value}" for enum in enums for member in enum
                  if member.value not in vocab.LABELS]
    assert not unlabelled, unlabelled


def test_the_language_picks_the_catalogue():
    token = i18n._language.set("fr")
    try:
        assert i18n._("Working group") == "Groupe de travail"
        assert vocab.label("critical") == "Critique"
        i18n.set_language("es")
        assert i18n._("Working group") == "Grupo de trabajo"
        assert vocab.label("in_kind") == "En especie"
        assert i18n._("Open") == "Abierto" and i18n.C_("verb", "Open") == "Abrir"  # status / link
        i18n.set_language("pt")
        assert i18n._("Working group") == "Grupo de trabalho"
        assert vocab.label("security_conduct") == "Conduta de segurança"
        i18n.set_language("xx")  # unknown: English
        assert i18n._("Working group") == "Working group"
        i18n.set_language(None)
        assert i18n.current_language() == "en"
    finally:
        i18n._language.reset(token)


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_labels_of_one_vocabulary_stay_distinct_in_every_language(language):
    """Charts key their colour scales on labels: two values of one list may not share a label."""
    enums = [value for value in vars(vocab).values()
             if isinstance(value, type) and issubclass(value, StrEnum) and value is not StrEnum]
    token = i18n._language.set(language)
    try:
        clashes = {enum.__name__: [vocab.label(m) for m in enum] for enum in enums
                   if len({vocab.label(m) for m in enum}) != len(enum)}
    finally:
        i18n._language.reset(token)
    assert not clashes, clashes


def test_one_list_of_languages():
    """The sidebar's choices, the accounts' allowed values and the catalogues come from one list."""
    assert i18n.LANGUAGES == ("en", "fr", "es", "pt")
    assert vocab.values(vocab.Language) == list(i18n.LANGUAGES)
    assert [vocab.LABELS[code] for code in i18n.LANGUAGES] == ["English", "Français", "Español", "Português"]
    assert all(catalogues.po_path(code).exists() for code in TRANSLATED)
