"""The program's start (issue 14 part 5, cold start): the entry point pauses the garbage collector until the start is
over, and opening the program does not import the verbs it does not need (verzuimdesk/command.py, startup.py,
cli/main.py)."""

from __future__ import annotations

import gc
import importlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from verzuimdesk import command, startup

# the module (``verzuimdesk.cli.main`` as an attribute is the function the package exports)
cli_main = importlib.import_module("verzuimdesk.cli.main")

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def collector_on() -> Iterator[None]:
    """Every test here leaves the collector as it found it (on, nothing frozen), whatever it asserted."""
    yield
    gc.enable()
    gc.unfreeze()


def test_the_collector_is_paused_for_the_start_and_on_again_when_a_verb_runs(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        collector_on: None) -> None:  # fmt: skip
    seen: list[bool] = []

    def info(_db: object) -> int:
        seen.append(gc.isenabled())
        return 0

    monkeypatch.setattr(cli_main, "_info", info)
    monkeypatch.setattr(sys, "argv", ["verzuimdesk", "--database", str(tmp_path / "s.sqlite"), "info"])
    monkeypatch.setattr(cli_main, "_without_login", lambda _db, _args: True)
    paused_at_parse: list[bool] = []
    real_build = cli_main.build_parser

    def build(all_verbs: bool = True) -> object:
        paused_at_parse.append(gc.isenabled())
        return real_build(all_verbs)

    monkeypatch.setattr(cli_main, "build_parser", build)
    assert command.main() == 0
    assert paused_at_parse == [False]  # the start ran without the collector
    assert seen == [True]  # the verb's own work runs with it, as any program
    assert gc.isenabled()


def test_the_collector_comes_back_when_the_command_fails(monkeypatch: pytest.MonkeyPatch,
                                                         collector_on: None) -> None:
    monkeypatch.setattr(sys, "argv", ["verzuimdesk", "--version"])
    with pytest.raises(SystemExit):
        command.main()
    assert gc.isenabled()


def test_resuming_freezes_what_the_start_made_and_is_safe_twice(collector_on: None) -> None:
    gc.unfreeze()
    startup.pause_collector()
    kept = [object() for _ in range(10)]
    assert not gc.isenabled()
    startup.resume_collector()
    frozen = gc.get_freeze_count()
    startup.resume_collector()  # a second call changes nothing
    assert gc.isenabled() and frozen > 0 and gc.get_freeze_count() == frozen
    assert kept


@pytest.mark.parametrize(("words", "opens"), [
    ([], True),
    (["gui"], True),
    (["gui", "--demo", "--sluit-na", "2"], True),
    (["--database", "signalen", "gui"], True),  # an option's value that looks like a verb
    (["--gebruiker", "ib", "--school", "12AB00"], True),
    (["signalen"], False),
    (["--database", "x.sqlite", "duo", "meldingen"], False),
    (["-h"], False),
    (["--help"], False),
    (["info"], False),
    (["signalenn"], False),  # a typo gets the full list of verbs in its error
])  # fmt: skip
def test_which_command_lines_open_the_program(words: list[str], opens: bool) -> None:
    assert cli_main._opens_the_program(words) is opens  # noqa: SLF001


def _modules_after(words: list[str]) -> set[str]:
    """The verzuimdesk.cli modules imported after parsing ``words`` in a fresh interpreter."""
    code = ("import importlib, json, sys\nm = importlib.import_module('verzuimdesk.cli.main')\n"
            f"m.build_parser(all_verbs=not m._opens_the_program({words!r})).parse_args({words!r})\n"
            "print(json.dumps(sorted(n for n in sys.modules if n.startswith('verzuimdesk.cli.'))))")  # fmt: skip
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    return set(json.loads(out.stdout))


def test_opening_the_program_does_not_import_the_other_verbs() -> None:
    assert "verzuimdesk.cli.signals" not in _modules_after(["gui", "--demo"])
    assert {"verzuimdesk.cli.signals", "verzuimdesk.cli.duo"} <= _modules_after(["signalen"])


def test_help_and_a_mistyped_verb_still_list_every_verb(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli_main.main(["signalenn"])
    err = capsys.readouterr().err
    assert "ongeldige keuze: 'signalenn'" in err
    for verb in ("signalen", "duo", "verlof", "bestuur", "gui"):
        assert verb in err
    with pytest.raises(SystemExit):
        cli_main.main(["gui", "--help"])
    assert "--sluit-na" in capsys.readouterr().out


def test_the_collector_comes_back_once_the_main_window_is_on_screen(qtbot, collector_on):  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QWidget

    from verzuimdesk.ui.app import show_main_window

    window = QWidget()
    qtbot.addWidget(window)
    startup.pause_collector()
    show_main_window(window)
    assert window.isVisible()
    qtbot.waitUntil(gc.isenabled, timeout=2000)
