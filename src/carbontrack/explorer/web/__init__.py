"""The explorer's web layer (see carbontrack/explorer/__init__.py)."""
