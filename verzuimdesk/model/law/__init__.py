"""The Leerplichtwet at work: leerplicht, leave, signals, meldingen, dossier and the DUO figures."""
