"""The Verlof screen: requests, the legal check while typing, decisions."""
