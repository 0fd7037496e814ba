"""The verzuimbeleid chapter (DOCX/PDF/text) and the yearly evaluation."""
