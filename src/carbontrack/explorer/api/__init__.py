"""The explorer's api layer (see carbontrack/explorer/__init__.py)."""
