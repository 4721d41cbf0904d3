"""The house shows its rooms: the lower mechanisms (org, audit, deadlines, notifications,
reports, second_factor) import no feature; `core` is small helpers at the bottom, importing no
app; nothing imports the demo; `text/` and `periods.py` import nothing from Django; and every
DOCX, XLSX and chart is made by `reports/`.

(Obligations have their own door test in tests/deadlines/test_one_writer.py, role rules in
tests/test_role_rules.py, the collaborator's pages in tests/test_permissions.py.)"""

import ast
from pathlib import Path

import tuyengiao

SRC = Path(tuyengiao.__file__).parent
FEATURES = ("tuyengiao.directives", "tuyengiao.figures", "tuyengiao.concerns")
DOCUMENT_LIBRARIES = ("docx", "matplotlib")
# What making a workbook takes; reading an uploaded one (load_workbook, openpyxl.utils, a data
# validation of a template) is the feature's own business.
WORKBOOK_WRITING = ("openpyxl.styles", "openpyxl.drawing", "openpyxl.chart")


def imports(path: Path) -> list[str]:
    """Every module `path` imports (`from openpyxl import Workbook` gives "openpyxl.Workbook")."""
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names += [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
    return names


def modules(*packages: str):
    for package in packages:
        for path in sorted((SRC / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def offending(paths, prefixes) -> list[str]:
    return [
        f"{path.relative_to(SRC)}: {name}"
        for path in paths
        for name in imports(path)
        if name.startswith(prefixes)
    ]


def test_the_lower_packages_import_no_feature():
    lower = modules("reports", "deadlines", "notifications", "org", "audit", "second_factor")
    assert offending(lower, FEATURES) == []


def test_core_is_at_the_bottom():
    apps = tuple(f"tuyengiao.{p.name}" for p in SRC.iterdir() if (p / "apps.py").exists())
    others = tuple(a for a in apps if a != "tuyengiao.core")
    assert offending(modules("core"), others) == []


def test_nothing_imports_the_demo():
    outside = [p for p in modules(".") if p.relative_to(SRC).parts[0] != "demo"]
    assert offending(outside, ("tuyengiao.demo",)) == []


def test_text_and_periods_need_no_django():
    pure = [*modules("text"), SRC / "periods.py"]
    assert offending(pure, ("django", "tuyengiao.org", "tuyengiao.core")) == []


def test_documents_are_made_only_in_reports():
    outside = [p for p in modules(".") if "reports" not in p.relative_to(SRC).parts]
    assert offending(outside, DOCUMENT_LIBRARIES) == []
    assert offending(outside, WORKBOOK_WRITING + ("openpyxl.Workbook",)) == []
    assert not (SRC / "core" / "xlsx.py").exists()
    assert offending(modules("core"), ("openpyxl", *DOCUMENT_LIBRARIES)) == []
