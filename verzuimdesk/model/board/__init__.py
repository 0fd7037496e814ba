"""A board (bestuur) with several schools in one PostgreSQL database (issue 14 point 4): the registry of its
schools, board accounts and their access per school (:mod:`.registry`, :mod:`.access`), and the board overview
(:mod:`.overview`). The schema mechanics are in :mod:`verzuimdesk.model.schemas`."""
