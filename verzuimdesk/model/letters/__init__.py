"""Letters to parents (issue 13): templates with merge fields and versions, the letter that fits a moment
(a signal, a ladder step, a melding, a conversation), and the record of each letter in the pupil's dossier.
A room above ``law/`` and below ``policy/``: it reads the school's ladder and rules from ``law/``, so the
letters say what the generated verzuimbeleid says. No Qt, no file formats (those are ``reports/letters/``)."""
