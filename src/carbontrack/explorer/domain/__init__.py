"""The explorer's domain layer (see carbontrack/explorer/__init__.py)."""
