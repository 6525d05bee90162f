"""Right-to-left overrides and invisible characters are refused (item 12 of issue 12):
`report\u202eexe.txt` reads as "reporttxt.exe"; a zero-width space makes two names that look
the same differ. Direction marks and joiners stay allowed in free text (right-to-left, Indic and
Persian prose need them); names, titles and file names keep joiners only inside emoji and
non-Latin words. And a file just over the size
limit says by how much, not "10.0 MB; the largest allowed is 10.0 MB"."""
from __future__ import annotations

import pytest

from db.errors import ValidationFailed
from db.models import OrganisationCreate, hidden_characters_problem
from db.vocab import DOCUMENT_MAX_BYTES
from db.writes.documents import check_file

OVERRIDES = ["\u202e", "\u202d", "\u2066", "\u2067", "\u2068", "\u2069", "\u202a", "\u202b", "\u202c"]
INVISIBLE = ["\u200b", "\u2060", "\ufeff", "\u00ad"]
MARKS = ["\u200e", "\u200f", "\u061c", "\u200c", "\u200d"]


@pytest.mark.parametrize("char", OVERRIDES + INVISIBLE + MARKS)
def test_a_name_with_a_hidden_character_is_refused_with_a_message(char):
    with pytest.raises(ValueError) as refused:
        OrganisationCreate(name=f"Volta{char} Mining", kind="company", country="GH")
    assert "invisible or direction-changing characters" in str(refused.value)


@pytest.mark.parametrize("char", OVERRIDES + INVISIBLE)
def test_free_text_refuses_overrides_and_invisible_characters(char):
    assert hidden_characters_problem(f"the fence{char} moved", name=False) is not None


@pytest.mark.parametrize("text", ["شكوى\u200f بشأن الأرض", "می\u200cخواهم", "ordinary text\nwith a tab\t"])
def test_free_text_keeps_the_marks_real_languages_need(text):
    assert hidden_characters_problem(text, name=False) is None


def test_a_file_name_with_a_right_to_left_override_is_refused():
    with pytest.raises(ValidationFailed) as refused:
        check_file("report\u202eexe.txt", b"minutes of the meeting")
    assert "invisible or direction-changing" in refused.value.errors["file"]
    assert check_file("report.txt", b"minutes of the meeting")[0] == "txt"


def test_a_file_just_over_the_limit_says_by_how_much():
    with pytest.raises(ValidationFailed) as refused:
        check_file("minutes.txt", b"x" * (DOCUMENT_MAX_BYTES + 1))
    message = refused.value.errors["file"]
    assert f"{DOCUMENT_MAX_BYTES + 1:,} bytes" in message and f"{DOCUMENT_MAX_BYTES:,} bytes" in message


@pytest.mark.parametrize("name", ["👩🏽\u200d🌾 Women farmers", "می\u200cخواهم", "शिक्\u200dषा समिति"])
def test_a_name_keeps_the_joiners_of_emoji_and_persian_or_indic_words(name):
    assert OrganisationCreate(name=name, kind="community_group", country="GH").name == name
