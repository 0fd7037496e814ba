"""The model and reports packages type-check cleanly with mypy (config: ``[tool.mypy]`` in pyproject.toml)."""

from __future__ import annotations

from pathlib import Path

import pytest
from mypy import api

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ["verzuimdesk/model", "verzuimdesk/reports"]


def test_model_and_reports_type_check(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # mypy reads pyproject.toml and keeps its cache (.mypy_cache) in the project root
    stdout, stderr, status = api.run(PACKAGES)
    assert status == 0, f"mypy found problems:\n{stdout}{stderr}"
