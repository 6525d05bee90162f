"""Form and filter helpers. A refused save's messages show each beside the field that shows
it and every other one at the foot of the form, so none is lost and none is shown twice (the
form lists no field names); a chosen country means its working groups."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _form_script():
    import streamlit as st

    from components.forms import FormErrors
    from db.errors import ValidationFailed

    errors = FormErrors("sample")
    if "_errors_sample" not in st.session_state:
        errors.set(ValidationFailed({"title": "Enter a title.", "severity": "Choose a severity."}))
    with st.form("sample"):
        st.text_input("Title", key="title")
        errors.field("title")
        st.text_input("Place", key="place")
        errors.field("place")
        errors.form_level()
        st.form_submit_button("Save")


def test_each_message_shows_once_beside_its_field_or_at_the_foot_of_the_form():
    at = AppTest.from_function(_form_script)
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == ["Enter a title.", "severity: Choose a severity."]


def test_a_chosen_country_means_its_groups():
    from components.filters import Filters

    assert Filters().chosen_group_ids == ()                                        # every group
    assert Filters(group_ids=(3,), countries=("GH",), groups_in_countries=(1, 3)).chosen_group_ids == (3,)
    assert Filters(countries=("GH",), groups_in_countries=(1, 3)).chosen_group_ids == (1, 3)
    assert Filters(countries=("PE",)).chosen_group_ids == (-1,)                    # a country with no group: none


def _pickers_script():
    import streamlit as st

    from components.forms import pick_record, vocab_select
    from db.vocab import Severity

    st.session_state["picked"] = pick_record(st, "Organisation", {7: "Rights Watch", 9: "Goldridge"}, key="org",
                                             none="No organisation")
    st.session_state["severity"] = vocab_select(st, "Severity", Severity, key="severity", index=2)


def test_pickers_show_names_and_labels_and_return_ids_and_stored_values():
    at = AppTest.from_function(_pickers_script)
    at.run()
    organisation, severity = at.selectbox(key="org"), at.selectbox(key="severity")
    assert organisation.options == ["No organisation", "Rights Watch", "Goldridge"]
    assert at.session_state["picked"] is None
    assert severity.options == ["Low", "Medium", "High", "Critical"]
    assert at.session_state["severity"] == "high"
    organisation.set_value(9).run()
    assert at.session_state["picked"] == 9
