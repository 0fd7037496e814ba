"""The verzuimbeleid chapter of the schoolgids: mandatory parts, optional themes and versions."""
