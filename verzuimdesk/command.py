"""The entry point of the ``verzuimdesk`` command (pyproject ``[project.scripts]``), of ``python -m verzuimdesk``
and of the installed build (installer/verzuimdesk.spec runs ``__main__.py``): its first step pauses the garbage
collector for the start (verzuimdesk/startup.py), before anything heavy is imported."""

from __future__ import annotations

from verzuimdesk.startup import pause_collector, resume_collector


def main() -> int:
    """Run the ``verzuimdesk`` command with the arguments of this process."""
    pause_collector()
    try:
        from verzuimdesk.cli.main import main as command

        return command()
    finally:
        resume_collector()
