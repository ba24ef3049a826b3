"""The explorer's data layer (see carbontrack/explorer/__init__.py)."""
