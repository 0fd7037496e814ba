"""A screen on the small school of tests/builders.py, with Dutch messages captured instead of shown."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from tests.builders import build_small_school
from verzuimdesk.ui.context import AppContext


@pytest.fixture
def small_school_page(qtbot, sqlite_db) -> Callable[..., tuple[AppContext, Any, Any, list[str]]]:  # type: ignore[no-untyped-def]
    """``make(PageClass, today, load="refresh")`` → (ctx, page, school, messages)."""

    def make(page_cls: type, today: dt.date, load: str | None = "refresh",
             **hooks: Callable[..., Any]) -> tuple[AppContext, Any, Any, list[str]]:
        school = build_small_school(sqlite_db)
        ctx = AppContext(sqlite_db)
        messages: list[str] = []
        ctx.show_error = messages.append
        page = page_cls(ctx)
        page.today = lambda: today
        for name, hook in hooks.items():  # e.g. confirm=lambda _q: True
            setattr(page, name, hook)
        if load:
            getattr(page, load)()
        qtbot.addWidget(page)
        return ctx, page, school, messages

    return make
