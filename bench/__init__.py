"""CarbonTrack benchmarks: each prints ratios against a baseline measured in the same run.

Run them with `make bench` (all) or `python -m bench api` / `python -m bench import`.
They are never timed tests: the machine is shared, so only same-run ratios mean anything.
"""
