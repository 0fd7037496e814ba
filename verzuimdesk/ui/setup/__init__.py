"""The set-up screens: Leerlingen, Groepen, Kalender and Instellingen."""
