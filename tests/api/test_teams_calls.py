"""What team requests cost on DynamoDB: fixed calls, and one rollup read per 100 member-months."""

from __future__ import annotations

from collections import Counter

from fastapi.testclient import TestClient

from carbontrack.store.dynamodb import DynamoStore
from tests.api.helpers import calls_of
from tests.api.test_teams import new_team, person

MEMBERS = 4


def test_team_requests_cost_fixed_calls_and_one_batch_of_member_totals(
    dynamo: tuple[TestClient, DynamoStore],
) -> None:
    client, store = dynamo
    owner, _ = person(client, "Olga")
    new = {"name": "Calls"}
    create = calls_of(store, lambda: client.post("/api/teams", json=new, headers=owner), 201)
    # The user, the GSI Query for the 20-team cap, the team + owner transaction.
    assert create == Counter({"GetItem": 1, "Query": 1, "TransactWriteItems": 1})
    team = new_team(client, owner)
    base = f"/api/teams/{team['teamId']}"
    newcomer, _ = person(client, "Nia")
    body = {"code": team["joinCode"]}
    joining = calls_of(store, lambda: client.post(f"{base}/join", json=body, headers=newcomer), 200)
    # The user, the team, the membership check; the members and the user's teams (caps); join.
    assert joining == Counter({"GetItem": 3, "Query": 2, "TransactWriteItems": 1})
    for n in range(MEMBERS - 2):
        headers, _ = person(client, f"M{n}")
        client.post(f"{base}/join", json=body, headers=headers)

    dashboard = calls_of(store, lambda: client.get(base, headers=owner), 200)
    # The user, membership, team; the goals and members Queries; one batch of every member's
    # months (this month and last: 2 x MEMBERS keys, up to 100 a batch).
    assert dashboard == Counter({"GetItem": 3, "Query": 2, "BatchGetItem": 1})
    board = calls_of(store, lambda: client.get(f"{base}/leaderboard", headers=owner), 200)
    assert board == Counter({"GetItem": 3, "Query": 1, "BatchGetItem": 1})
    members = calls_of(store, lambda: client.get(f"{base}/members", headers=owner), 200)
    assert members == Counter({"GetItem": 3, "Query": 1})
    mine = calls_of(store, lambda: client.get("/api/teams", headers=owner), 200)
    assert mine == Counter({"GetItem": 3, "Query": 1})  # the user, then one read per team
