"""Finding people: search by name and city, and suggestions of whom to follow."""
