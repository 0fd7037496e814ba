"""The bad-input corpus (tests/imports/corpus/make_corpus.py): every file is refused with a Dutch message
that names what is wrong, never with a traceback, and the SQLite file is byte-identical afterwards."""

from __future__ import annotations

import hashlib
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

from tests.builders import build_small_school
from tests.imports.corpus.make_corpus import CASES, write_corpus
from verzuimdesk.imports import run_import
from verzuimdesk.model.db import open_database
from verzuimdesk.model.errors import ImportFailed

FAILED = "Het bestand is niet ingelezen; er is niets gewijzigd."
# Words of the libraries' English messages; quoted user input ('…') is left out before looking.
ENGLISH = re.compile(r"\b(the|invalid|expected|error|line|column|unexpected|found|cannot|failed|not|and|must|"
                     r"character|value|file|traceback|exception|none|null|object|type|at|with)\b", re.IGNORECASE)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return write_corpus(tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("school") / "school.sqlite"
    db = open_database(str(path))
    build_small_school(db)
    db.close()
    return path


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def looks_dutch(message: str) -> bool:
    unquoted = re.sub(r"'[^']*'|\"[^\"]*\"|<[^>]*>", "", message)
    return not ENGLISH.search(unquoted)


def test_the_corpus_is_large_and_covers_all_five_kinds() -> None:
    kinds = Counter(c.kind for c in CASES)
    assert sum(kinds.values()) >= 150
    assert set(kinds) == {"edexml", "leerlingen", "groepen", "inrichting", "verzuim"}
    assert min(kinds.values()) >= 20
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_refused_in_dutch_and_the_database_file_is_unchanged(case, corpus, template, tmp_path: Path) -> None:
    db_file = tmp_path / "school.sqlite"
    shutil.copy(template, db_file)
    before = sha256(db_file)
    db = open_database(str(db_file))
    try:
        with pytest.raises(ImportFailed) as info:  # any other exception (a traceback) fails the test
            run_import(db, case.kind, corpus[case.name])
    finally:
        db.close()
    error = info.value
    assert error.summary == FAILED
    assert error.problems, "a refusal says why"
    assert any(case.expected in p for p in error.problems), error.problems
    for problem in error.problems:
        assert looks_dutch(problem), problem
        assert len(problem) < 600, problem  # no file contents dumped into a message
    assert sha256(db_file) == before
    assert not db_file.with_name(db_file.name + "-wal").exists() or sha256(db_file) == before
