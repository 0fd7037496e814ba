"""``python -m verzuimdesk``: the same as the ``verzuimdesk`` command (and the entry of the installed build)."""

import sys

from verzuimdesk.command import main

sys.exit(main())
