"""The ``verzuimdesk`` command: the parser and the verbs without a module of their own (:mod:`.main`), and one
module per verb group (:mod:`.signals`, :mod:`.leave`, :mod:`.schoolgids`, :mod:`.duo`)."""

from verzuimdesk.cli.main import main

__all__ = ["main"]
