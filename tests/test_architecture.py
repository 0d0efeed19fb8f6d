"""The house's shape, checked: pages read through selectors, never the ORM's managers."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("lcspr", "reviews", "panels", "chronologies", "actions")


def _view_modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if "migrations" in relative.parts:
                continue
            if (
                path.name == "views.py"
                or path.name.endswith("_views.py")
                or "views" in relative.parts
            ):
                yield relative, path


def _manager_reads(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr == "objects"
    ]


def test_there_are_view_modules_to_check():
    assert len(list(_view_modules())) > 20


def test_no_view_reads_a_model_manager():
    """A view asks its app's selectors (or access helper) for what it shows: `Model.objects`
    in a view module is a read that bypasses them."""
    found = {
        str(relative): lines
        for relative, path in _view_modules()
        if (lines := _manager_reads(path))
    }
    assert found == {}, f"Model.objects used in views (move the read to a selector): {found}"
