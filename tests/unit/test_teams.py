"""Team rules: the roles matrix, join codes, names, successors and the leaderboard."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from carbontrack.domain import periods, teams
from carbontrack.domain.errors import Forbidden, InvalidInput
from carbontrack.domain.models import Membership, MonthTotals, Team

T0 = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def member(user_id: str, role: str = "member", *, hours: int = 0, name: str = "") -> Membership:
    return Membership(
        team_id="t",
        user_id=user_id,
        role=role,
        joined_at=T0 + timedelta(hours=hours),
        display_name=name or user_id.title(),
    )


def team(**overrides: object) -> Team:
    values: dict[str, object] = {
        "team_id": "t",
        "name": "Team",
        "created_at": T0,
        "join_code": "ABCDEFGHJK",
        "join_code_expires_at": T0 + timedelta(days=7),
    }
    return Team(**(values | overrides))  # type: ignore[arg-type]


ALL_ACTIONS: tuple[teams.Action, ...] = (
    "view",
    "leave",
    "regenerate_code",
    "remove_member",
    "manage_goals",
    "change_role",
    "delete_team",
)
ALLOWED: dict[str, set[str]] = {
    "owner": set(ALL_ACTIONS),
    "admin": {"view", "leave", "regenerate_code", "remove_member", "manage_goals"},
    "member": {"view", "leave"},
}


@pytest.mark.parametrize("role", ["owner", "admin", "member"])
@pytest.mark.parametrize("action", ALL_ACTIONS)
def test_roles_matrix(role: str, action: teams.Action) -> None:
    assert teams.may(role, action) is (action in ALLOWED[role])
    if action in ALLOWED[role]:
        teams.require(member("u", role), action)
    else:
        with pytest.raises(Forbidden):
            teams.require(member("u", role), action)


def test_unknown_role_may_do_nothing() -> None:
    assert not any(teams.may("guest", action) for action in ALL_ACTIONS)


@pytest.mark.parametrize(
    ("actor", "target", "allowed"),
    [
        ("owner", "admin", True),
        ("owner", "member", True),
        ("admin", "member", True),
        ("admin", "admin", False),
        ("admin", "owner", False),
        ("member", "member", False),
        ("member", "admin", False),
    ],
)
def test_who_may_remove_whom(actor: str, target: str, allowed: bool) -> None:
    assert teams.may_remove(member("a", actor), member("b", target)) is allowed


def test_nobody_removes_themselves_through_removal() -> None:
    owner = member("a", "owner")
    assert not teams.may_remove(owner, owner)


def test_join_codes_are_random_from_the_unambiguous_alphabet() -> None:
    codes = {teams.new_join_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(len(c) == teams.CODE_LENGTH for c in codes)
    assert set("".join(codes)) <= set(teams.CODE_ALPHABET)
    assert not set("01OIL") & set(teams.CODE_ALPHABET)


def test_code_matching_ignores_case_spaces_and_dashes() -> None:
    assert teams.code_matches(team(), "ABCDEFGHJK")
    assert teams.code_matches(team(), " abcde-fghjk ")
    assert not teams.code_matches(team(), "ABCDEFGHJ")
    assert not teams.code_matches(team(), "ABCDEFGHJKK")
    assert not teams.code_matches(team(), "")


def test_code_expires_after_seven_days() -> None:
    issued = team(join_code_expires_at=teams.code_expiry(T0))
    assert issued.join_code_expires_at == T0 + timedelta(days=7)
    assert not teams.code_expired(issued, T0 + timedelta(days=7) - timedelta(microseconds=1))
    assert teams.code_expired(issued, T0 + timedelta(days=7))


@pytest.mark.parametrize(
    ("raw", "cleaned"), [("  Acme   Ltd ", "Acme Ltd"), ("x", "x"), ("é" * 80, "é" * 80)]
)
def test_team_names_are_trimmed(raw: str, cleaned: str) -> None:
    assert teams.clean_name(raw) == cleaned


@pytest.mark.parametrize("raw", ["", "   ", "x" * 81])
def test_bad_team_names_are_invalid(raw: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        teams.clean_name(raw)
    assert raised.value.field == "name"


def test_check_role() -> None:
    assert teams.check_role("admin") == "admin"
    with pytest.raises(InvalidInput):
        teams.check_role("superuser")


def test_successor_is_the_longest_serving_admin_then_member() -> None:
    owner = member("o", "owner", hours=0)
    old_member = member("m1", hours=1)
    new_admin = member("a1", "admin", hours=5)
    old_admin = member("a0", "admin", hours=3)
    assert teams.successor([owner, old_member, new_admin, old_admin], "o") == old_admin
    assert teams.successor([owner, old_member, member("m2", hours=2)], "o") == old_member
    assert teams.successor([owner], "o") is None


def month(key: str, kg_by_day: dict[int, float]) -> MonthTotals:
    return MonthTotals(
        month=key,
        co2e_kg_by_day={d: {"transport": kg} for d, kg in kg_by_day.items()},
        entries_by_day=dict.fromkeys(kg_by_day, 1),
    )


MARCH = date(2026, 3, 1)


def test_leaderboard_ranks_lowest_first_against_the_average() -> None:
    members = [member("a", name="Ann"), member("b", name="Bob"), member("c", name="Cy")]
    totals = {
        "a": [month("2026-03", {1: 30.0, 2: 30.0})],  # 60
        "b": [month("2026-03", {5: 20.0})],  # 20
        "c": [month("2026-03", {9: 10.0, 10: 10.0, 11: 10.0}), month("2026-02", {1: 500.0})],
    }
    board = teams.leaderboard(members, totals, month_start=MARCH, viewer_id="b")
    assert board.co2e_kg == pytest.approx(110.0)
    assert board.per_member_average_co2e_kg == pytest.approx(110.0 / 3)
    assert [(s.rank, s.display_name, s.co2e_kg) for s in board.standings] == [
        (1, "Bob", 20.0),
        (2, "Cy", pytest.approx(30.0)),
        (3, "Ann", 60.0),
    ]
    assert [s.logged_days for s in board.standings] == [1, 3, 2]
    assert [s.is_you for s in board.standings] == [True, False, False]
    bob = board.standings[0]
    assert bob.vs_average_percent == pytest.approx((20 - 110 / 3) / (110 / 3) * 100)


def test_members_without_entries_are_listed_last_unranked() -> None:
    members = [member("a", name="Ann"), member("z", name="Zed"), member("b", name="Bob")]
    totals = {"a": [month("2026-03", {1: 5.0})], "z": [month("2026-03", {})], "b": []}
    board = teams.leaderboard(members, totals, month_start=MARCH, viewer_id="a")
    assert [(s.rank, s.display_name) for s in board.standings] == [
        (1, "Ann"),
        (None, "Bob"),
        (None, "Zed"),
    ]
    assert board.active_members == 1
    assert board.standings[1].vs_average_percent is None
    assert board.per_member_average_co2e_kg == pytest.approx(5.0 / 3)


def test_ties_share_a_rank() -> None:
    members = [member("a", name="A"), member("b", name="B"), member("c", name="C")]
    totals = {
        "a": [month("2026-03", {1: 4.0})],
        "b": [month("2026-03", {2: 4.0})],
        "c": [month("2026-03", {3: 9.0})],
    }
    board = teams.leaderboard(members, totals, month_start=MARCH, viewer_id="a")
    assert [s.rank for s in board.standings] == [1, 1, 3]


def test_days_outside_the_month_do_not_count() -> None:
    totals = {"a": [month("2026-02", {28: 100.0}), month("2026-04", {1: 100.0})]}
    board = teams.leaderboard([member("a")], totals, month_start=MARCH, viewer_id="a")
    assert board.co2e_kg == 0.0
    assert board.standings[0].rank is None


def test_team_totals_add_up_members() -> None:
    totals = {"a": [month("2026-03", {1: 2.0})], "b": [month("2026-03", {1: 3.0})]}
    summed = teams.team_totals(totals)
    assert periods.total_kg(summed, MARCH, date(2026, 4, 1)) == pytest.approx(5.0)
