"""``python -m verzuimdesk``: the same as the ``verzuimdesk`` command."""

import sys

from verzuimdesk.cli.main import main

sys.exit(main())
