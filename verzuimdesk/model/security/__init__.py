"""Privacy and security of the register (issue 11; domain.md §2 item 4, §11; docs/security.md).

A room above ``law/`` (it reads the law tables) and below ``policy/`` (the schoolgids's privacy part reads
its settings): what counts as health data in a document, and the privacy settings the schoolgids states.
"""
