"""verzuimdesk: verzuimregistratie volgens de Leerplichtwet voor kleine scholen."""

__version__ = "0.1.0"
