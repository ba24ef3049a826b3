"""CarbonTrack: honest carbon-footprint tracking on sourced emission factors."""

__version__ = "0.1.0"
