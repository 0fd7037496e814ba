"""The Dossier screen: a pupil's timeline, contacts and interventions."""
