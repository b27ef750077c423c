"""Consumer reviews and annual star ratings: filled in by the reviews and rating issues."""
