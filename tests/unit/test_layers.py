"""The layers point one way: pages and components use db/, db/ uses i18n, and nothing below
reaches up. Imports inside functions count too: they tie the layers just the same."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def reaching(package: str, forbidden: tuple[str, ...]) -> list[str]:
    found = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for name in sorted(imported_modules(path)):
            if any(name == f or name.startswith(f + ".") for f in forbidden):
                found.append(f"{path.relative_to(ROOT)} imports {name}")
    return found


def test_the_data_layer_depends_on_no_interface_and_not_on_the_demo_generator():
    assert reaching("db", ("seed", "components", "pages", "app", "serve", "tests")) == []


def test_reads_do_not_use_the_metrics_built_on_them():
    """Metrics use reads (scopes, redaction); a read that called a metric would close a circle."""
    assert reaching("db/reads", ("db.metrics",)) == []


def test_translations_depend_on_nothing_of_the_product():
    assert reaching("i18n", ("db", "components", "pages", "seed", "app", "serve")) == []


def test_migrations_do_not_import_todays_models():
    """An old revision must run against a database of its time, whatever the models are now."""
    template = (ROOT / "db" / "migrations" / "script.py.mako").read_text()
    assert "db.models" not in template
    revisions = sorted((ROOT / "db" / "migrations" / "versions").glob("*.py"))
    assert revisions
    assert [r.name for r in revisions if "db.models" in imported_modules(r)] == []


def test_the_walk_sees_an_import_inside_a_function(tmp_path):
    sample = tmp_path / "m.py"
    sample.write_text("def f():\n    from seed.generator import load\n    import components.forms\n")
    assert imported_modules(sample) == {"seed.generator", "components.forms"}


def test_colours_are_defined_in_the_vocabularies_only():
    import re

    hex_colour = re.compile(r"#[0-9a-fA-F]{6}\b")
    found = [f"{path.relative_to(ROOT)}:{number}"
             for place in ("app.py", "serve.py", "pages", "components", "db")
             for path in ([ROOT / place] if (ROOT / place).is_file() else sorted((ROOT / place).rglob("*.py")))
             if path.name != "vocab.py"
             for number, line in enumerate(path.read_text().splitlines(), 1) if hex_colour.search(line)]
    assert found == []


def test_the_charts_accent_is_the_themes():
    import tomllib

    from db.vocab import ACCENT

    theme = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["theme"]
    assert theme["primaryColor"] == ACCENT


def test_pages_build_no_chart_themselves():
    """Charts live in components/charts.py, where they share fonts, colours and legends."""
    assert [f"{path.name} imports altair" for path in sorted((ROOT / "pages").glob("*.py"))
            if "altair" in imported_modules(path)] == []


def test_only_the_url_helpers_write_the_url():
    """A view's filters are written to the URL by components/url.py alone (set_param,
    set_params, set_list_param, open_record), so every page keeps links the same way."""
    found = []
    for place in ("pages", "components"):
        for path in sorted((ROOT / place).glob("*.py")):
            if path.name == "url.py":
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) else []
                writes = [t for t in targets if isinstance(t, ast.Subscript) and "query_params" in ast.unparse(t.value)]
                calls = (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                         and node.func.attr in ("pop", "clear", "update", "from_dict")
                         and "query_params" in ast.unparse(node.func.value))
                if writes or calls:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []


def test_reads_and_metrics_limit_by_country_and_day_in_one_place():
    """db/reads/scope.py says what "these countries" and "these days" mean for every query."""
    found = []
    for path in sorted((ROOT / "db").rglob("*.py")):
        if path.name == "scope.py" or "migrations" in path.parts:
            continue
        text = path.read_text()
        for needle in ("WorkingGroup.country.in_(", "time.min"):
            if needle in text:
                found.append(f"{path.relative_to(ROOT)}: {needle}")
    assert found == []
