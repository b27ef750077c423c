"""Apps depend in one direction: merchants → (print_templates, ratings) → (cms, portal) → site.

``cms`` composes the public pages and the API from the apps below it; nothing
imports upward, so each app can be read (and tested) without those above it.
Every module of every app is parsed, imports inside functions included.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

#: Each app, where its code lives, and the apps of ours it may import.
APPS = {
    "merchants": (ROOT / "merchants", set()),
    "print_templates": (ROOT / "print_templates", {"merchants"}),
    "ratings": (ROOT / "ratings", {"merchants", "print_templates"}),
    "cms": (ROOT / "cms", {"merchants", "print_templates", "ratings"}),
    "portal": (ROOT / "portal", {"merchants", "print_templates", "ratings"}),
    "chengxin": (
        ROOT / "site" / "chengxin",
        {"merchants", "print_templates", "ratings", "cms", "portal"},
    ),
}


def imported_apps(source, importer):
    """(line, app) for every absolute import of one of our apps other than ``importer``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            app = name.split(".")[0]
            if app in APPS and app != importer:
                found.append((node.lineno, app))
    return found


def upward_imports(app):
    folder, allowed = APPS[app]
    modules = sorted(folder.rglob("*.py"))
    assert modules, f"no modules found for {app} in {folder}"
    problems = []
    for module in modules:
        for line, imported in imported_apps(module.read_text(encoding="utf-8"), app):
            if imported not in allowed:
                problems.append(f"{module.relative_to(ROOT)}:{line} imports {imported}")
    return problems


@pytest.mark.parametrize("app", list(APPS))
def test_no_app_imports_one_above_it(app):
    assert upward_imports(app) == []


def test_the_check_sees_upward_imports_anywhere_in_a_module():
    source = "import os\n\ndef later():\n    from cms.page_cache import forget\n"
    assert imported_apps(source, "ratings") == [(4, "cms")]
    assert imported_apps("import ratings.models\n", "merchants") == [(1, "ratings")]
    assert imported_apps("from . import models\n", "merchants") == []
