"""The set-up operations behind the Leerlingen, Groepen, Kalender and Instellingen screens."""
