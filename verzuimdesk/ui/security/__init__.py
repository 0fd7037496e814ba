"""Screens of issue 11: log-in, first beheerder, idle lock, accounts."""
