"""Letters to parents: the leave decision."""
