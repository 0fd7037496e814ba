"""The board tests need PostgreSQL (several schools are schemas of one database). Without
``VERZUIMDESK_TEST_PG_URL`` they are not collected — deselected, never skipped — and the terminal summary says
so; CI sets the URL, so they run there. Each test starts from an empty database and leaves it empty, so that
the other PostgreSQL tests (public schema) find no board."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.board.pg import reset_board_database
from tests.conftest import PG_URL, TEST_PASSWORD

HERE = Path(__file__).resolve().parent
TODAY = dt.date(2025, 11, 3)
SCHOOLS = [("12AB", "00", "De Eik"), ("12AB", "01", "De Beuk"), ("34CD", "00", "De Linde")]
_deselected: list[int] = []


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if PG_URL:
        return
    mine = [item for item in items if Path(str(item.fspath)).resolve().is_relative_to(HERE)]
    if mine:
        config.hook.pytest_deselected(items=mine)
        items[:] = [item for item in items if item not in mine]
        _deselected.append(len(mine))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _deselected:
        terminalreporter.write_line(f"{sum(_deselected)} bestuurstests (tests/board) niet verzameld: ze hebben "
                                    "PostgreSQL nodig en VERZUIMDESK_TEST_PG_URL is niet gezet.")


@pytest.fixture
def board_url() -> Iterator[str]:
    """An empty PostgreSQL database (no board, no schools), emptied again afterwards."""
    reset_board_database(PG_URL)
    yield PG_URL
    reset_board_database(PG_URL)


def build_school(url: str, brin: str, vestiging: str, name: str, *, pupils: int, years: int, today: dt.date,
                 seed: int) -> str:
    """One synthetic school of the board: the registry and schema by ``add_school``, the data by the benchmark's
    bulk generator (real schema, synthetic pupils), the school row given the board's BRIN and vestiging."""
    sys.path.insert(0, str(HERE.parents[1] / "bench"))
    from synthetic import build_synthetic  # the benchmarks' generator (bench/synthetic.py)

    from verzuimdesk.model.board.registry import add_school, open_school
    from verzuimdesk.model.school.records import get_school

    school = add_school(url, brin, vestiging, name, set_up=False)
    with open_school(url, school.code) as db:
        build_synthetic(db, pupils=pupils, years=years, today=today, seed=seed)
        with db.transaction() as s:
            row = get_school(s)
            assert row is not None
            row.name, row.brin, row.vestiging = name, brin, vestiging
            s.add(row)
    return school.code


@pytest.fixture
def small_board(board_url: str) -> str:
    """A board of 3 schools × 20 pupils × 2 school years; its bestuursbeheerder is 'bestuurder'."""
    from verzuimdesk.model.board.registry import create_board

    create_board(board_url, "bestuurder", TEST_PASSWORD, full_name="Bea Bestuur")
    for seed, (brin, vestiging, name) in enumerate(SCHOOLS, start=1):
        build_school(board_url, brin, vestiging, name, pupils=20, years=2, today=TODAY, seed=seed)
    return board_url
