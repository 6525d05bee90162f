"""Coordinates pasted from a map site as one text: 'lat, lon' with or without a space after the
comma, or separated by spaces; one number, words or out-of-range values are refused with a
message for the coordinates field."""
from __future__ import annotations

import pytest

from db.errors import ValidationFailed
from db.writes.organisations import parse_coordinates


@pytest.mark.parametrize("text", ["5.6037, -0.1870", "5.6037,-0.1870", "5.6037 -0.1870", "  5.6037 ,  -0.187 ",
                                  "+5.6037; -0.1870"])
def test_pasted_pairs_are_read_as_latitude_then_longitude(text):
    assert parse_coordinates(text) == (5.6037, -0.187)


@pytest.mark.parametrize("text, message", [
    ("5.6037", "two numbers"),
    ("5.6037, -0.1870, 12", "two numbers"),
    ("Accra, Ghana", "two numbers"),
    ("5,6037, -0,1870", "two numbers"),
    ("95.1, -0.18", "The latitude must be between -90 and 90."),
    ("5.6, -190", "The longitude must be between -180 and 180."),
])
def test_bad_pastes_are_refused_beside_the_field(text, message):
    with pytest.raises(ValidationFailed) as refused:
        parse_coordinates(text)
    assert list(refused.value.errors) == ["coordinates"]
    assert message in refused.value.errors["coordinates"]
