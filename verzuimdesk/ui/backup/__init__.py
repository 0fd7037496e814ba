"""The Reservekopieën screen and the audit trail table (issue 10 §5, §7)."""
