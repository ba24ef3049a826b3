"""The ops clients' retry and timeout policy, as botocore receives it."""

from __future__ import annotations

import boto3

from carbontrack.ops import clients
from tests.backends import AWS_REGION, FAKE_AWS_ENV


def test_a_client_counts_every_attempt_and_bounds_its_waits() -> None:
    session = boto3.Session(
        aws_access_key_id=FAKE_AWS_ENV["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=FAKE_AWS_ENV["AWS_SECRET_ACCESS_KEY"],
        region_name=AWS_REGION,
    )
    config = clients.client(session, "dynamodb", AWS_REGION).meta.config
    # `total_max_attempts` includes the first call; `max_attempts` would count retries only.
    assert config.retries == {"mode": "standard", "total_max_attempts": clients.MAX_ATTEMPTS}
    assert (config.connect_timeout, config.read_timeout) == (
        clients.CONNECT_TIMEOUT,
        clients.READ_TIMEOUT,
    )
