"""The Signalen inbox and its dialogs."""
