"""`python -m carbontrack` is the `carbontrack` command."""

from carbontrack.cli import app

app()
