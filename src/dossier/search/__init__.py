"""Finding guests: normalised search keys kept in step with every write."""
