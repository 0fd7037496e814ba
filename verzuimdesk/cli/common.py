"""Small pieces shared by the command-line verbs."""

from __future__ import annotations

import argparse
import datetime as dt


def parse_date(text: str) -> dt.date:
    """A date on the command line: 2025-11-03 or 03-11-2025; a Dutch message otherwise."""
    for fmt in ("%Y-%m-%d", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(f"'{text}' is geen datum; schrijf 2025-11-03 of 03-11-2025.")
