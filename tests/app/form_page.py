"""AppTest scripts that render one data entry form section on its own, logged in."""
from __future__ import annotations

from pathlib import Path

from tests.conftest import page

SCRIPT = '''
from components.guard import require
from db.permissions import Action
actor = require(Action.data_entry)
import importlib
from components.header import show_flash
show_flash()
importlib.import_module("{module}").render(actor)
'''


def form_script(tmp_path: Path, module: str) -> str:
    path = tmp_path / f"{module.split('.')[-1]}_page.py"
    path.write_text(SCRIPT.format(module=module))
    return str(path)


def forms(tmp_path: Path, module: str, username: str):
    """The form section `module` rendered for `username`, run once and raising nothing."""
    at = page(form_script(tmp_path, module), username).run()
    assert not at.exception, at.exception
    return at


def click(at, label: str):
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, at.exception
    return at


def errors(at) -> str:
    return " | ".join(e.value for e in at.error)


def save_new_organisation(at, name: str, kind: str, country: str = "GH"):
    """Fill the blank organisation form (Working groups and members, Organisations) and save it."""
    at.text_input(key="fo_0_name").input(name)
    at.selectbox(key="fo_0_kind").select(kind)
    at.selectbox(key="fo_0_country").select(country)
    return click(at, "Save organisation")


def upload_for_import(at, kind: str, name: str, text: str, attempt: int = 0):
    """Data entry, Import: choose the kind and upload a CSV (the uploader's key counts the uploads)."""
    at.selectbox(key="imp_kind").set_value(kind).run()
    at.file_uploader(key=f"imp_file_{kind}_{attempt}").upload(name, text.encode(), "text/csv").run()
    assert not at.exception, at.exception
    return at
