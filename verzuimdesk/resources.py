"""One resource lookup that works from the source tree, an installed package and a PyInstaller bundle."""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:  # PyInstaller puts the resources/ folder next to the code in the bundle
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource(name: str) -> Path:
    """Path of a file in ``resources/``; a clear error when the installation is incomplete."""
    path = resources_dir() / name
    if not path.exists():
        raise FileNotFoundError(f"Het hulpbestand {name} ontbreekt in {path.parent}; installeer verzuimdesk opnieuw.")
    return path
