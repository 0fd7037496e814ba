"""The Meldingen screen: verzuimmeldingen, their status history and export."""
