"""The garbage collector during the start: paused by the program's first step (verzuimdesk/command.py), resumed
once the start is over.

Why the cyclic garbage collector is paused while the program starts: importing SQLAlchemy, SQLModel and
PySide6, defining the tables and building the main window create some hundred thousand objects that live until
the program ends. With the collector on, Python walks that growing heap again and again (about a tenth of a second
of a one-second start, bench/bench_startup.py). The entry point pauses it before anything heavy is imported, and
:func:`resume_collector` turns it on again once the window is on screen (``ui/app.py``) or before a command-line
verb runs (``cli/main.py``), after moving everything made so far out of its reach (``gc.freeze``): those objects are
never garbage, and later collections are shorter because they no longer walk them. Reference counting, which
frees almost every object, is not affected; only cycles wait until the collector is back.
"""

from __future__ import annotations

import gc


def pause_collector() -> None:
    """Pause the cyclic garbage collector for the start (see the module docstring)."""
    gc.disable()


def resume_collector() -> None:
    """Turn the collector on again; what the start made is frozen (kept out of later collections). Safe to call
    more than once."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()
