"""Screens of the daily register: the register grid and nabellen."""
