"""The import rules of docs/architecture.md, read from the code itself (every import, also inside functions)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "verzuimdesk"

# The model's rooms from the bottom up: a room may import its own and lower rooms only.
MODEL_LAYERS = [
    {"verzuimdesk.model.errors", "verzuimdesk.model.dutch", "verzuimdesk.model.tables", "verzuimdesk.model.db",
     "verzuimdesk.model.store", "verzuimdesk.model.audit", "verzuimdesk.model.audit_names",
     "verzuimdesk.model.backups", "verzuimdesk.model.actor", "verzuimdesk.model.schemas", "verzuimdesk.model.keyfile",
     "verzuimdesk.model.concurrency"},
    {"verzuimdesk.model.school"},
    {"verzuimdesk.model.register"},
    {"verzuimdesk.model.law"},
    {"verzuimdesk.model.letters"},
    {"verzuimdesk.model.security"},
    {"verzuimdesk.model.policy"},
    {"verzuimdesk.model.setup"},
    {"verzuimdesk.model.board"},
]
MAX_LINES = 400


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def source_files() -> dict[str, Path]:
    return {module_name(p): p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts}


def imports_of(path: Path, known: set[str]) -> set[str]:
    """Every module of this package that ``path`` imports (module-level or inside a function)."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        for name in names:
            if name in known:
                out.add(name)
    return out


def third_party(path: Path) -> set[str]:
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module.split(".")[0])
    return out


def graph() -> dict[str, set[str]]:
    files = source_files()
    known = set(files)
    return {name: imports_of(path, known) - {name} for name, path in files.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan). A package's ``__init__`` that
    re-exports from its own modules is not a cycle: edges from a module to its own package face are left out."""
    edges = {m: {t for t in ts if not m.startswith(t + ".")} for m, ts in edges.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def layer_of(module: str) -> int | None:
    for i, layer in enumerate(MODEL_LAYERS):
        if any(module == room or module.startswith(room + ".") for room in layer):
            return i
    return None


def test_no_import_cycles_between_files() -> None:
    assert cycles(graph()) == []


def test_cycle_detector_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_model_imports_no_qt_and_nothing_above_it() -> None:
    files = source_files()
    for name, targets in graph().items():
        if not name.startswith("verzuimdesk.model"):
            continue
        assert "PySide6" not in third_party(files[name]), name
        above = [t for t in targets if not t.startswith("verzuimdesk.model")]
        assert above == [], f"{name} imports {above}"


def test_model_rooms_import_downwards_only() -> None:
    for name, targets in graph().items():
        mine = layer_of(name)
        if mine is None:
            continue
        for target in targets:
            theirs = layer_of(target)
            assert theirs is None or theirs <= mine, f"{name} (laag {mine}) importeert {target} (laag {theirs})"


def test_reports_and_imports_use_no_qt_and_no_screens() -> None:
    files = source_files()
    for name, targets in graph().items():
        if not name.startswith(("verzuimdesk.reports", "verzuimdesk.imports")):
            continue
        assert "PySide6" not in third_party(files[name]), name
        assert not [t for t in targets if t.startswith(("verzuimdesk.ui", "verzuimdesk.cli"))], name


def test_cli_imports_no_screen_except_to_open_the_program() -> None:
    for name, targets in graph().items():
        if name.startswith("verzuimdesk.cli"):
            assert {t for t in targets if t.startswith("verzuimdesk.ui")} <= {"verzuimdesk.ui.app"}, name


SESSION_WORDS = ("Session(", "db.session(", ".transaction(", "sessionmaker", "create_engine", "session.exec(",
                 "s.exec(", "select(Pupil", "select(Group")


def sql_imports(path: Path) -> set[str]:
    """Names imported from sqlmodel/sqlalchemy; the type ``Session`` (for annotations) is allowed."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.split(".")[0] in {"sqlmodel", "sqlalchemy"}}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in {"sqlmodel", "sqlalchemy"}:
            out |= {a.name for a in node.names if a.name != "Session"}
    return out


@pytest.mark.parametrize("path", sorted(p for p in (PACKAGE / "ui").rglob("*.py")), ids=lambda p: p.name)
def test_ui_opens_no_sql_session_outside_the_context(path: Path) -> None:
    if path.name == "context.py" and path.parent.name == "ui":
        return
    assert sql_imports(path) == set(), f"{path.name} importeert databasefuncties"
    source = path.read_text(encoding="utf-8")
    found = [w for w in SESSION_WORDS if w in source]
    assert found == [], f"{path.name}: {found}"


def test_long_files_say_why() -> None:
    for path in PACKAGE.rglob("*.py"):
        lines = path.read_text(encoding="utf-8").splitlines()
        if len(lines) > MAX_LINES and "versions" not in path.parts:
            head = "\n".join(lines[:15]).lower()
            assert "longer than" in head or "why this file is long" in head, (
                f"{path.relative_to(PACKAGE.parent)} heeft {len(lines)} regels zonder reden bovenaan")


def test_the_rules_fail_when_broken(tmp_path: Path) -> None:
    """The rule test is not vacuous: a model module importing a screen is found."""
    bad = tmp_path / "verzuimdesk" / "model" / "bad.py"
    bad.parent.mkdir(parents=True)
    bad.write_text("from verzuimdesk.ui.widgets import DateEdit\nimport PySide6\n")
    assert imports_of(bad, {"verzuimdesk.ui.widgets"}) == {"verzuimdesk.ui.widgets"}
    assert "PySide6" in third_party(bad)
    assert layer_of("verzuimdesk.model.school.records") == 1
    assert layer_of("verzuimdesk.model.law.leave") == 3
