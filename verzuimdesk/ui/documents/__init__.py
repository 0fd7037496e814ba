"""Screens that make documents: Overzichten, DUO-levering and Schoolgids."""
