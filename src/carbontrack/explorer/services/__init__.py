"""The explorer's services layer (see carbontrack/explorer/__init__.py)."""
