"""Use cases: take a Database, return frozen dataclasses, raise ValidationError."""
