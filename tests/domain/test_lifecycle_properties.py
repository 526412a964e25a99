"""Property tests: random action sequences never reach an inconsistent ticket.

Each example walks one ticket through up to 60 random steps (a random actor, mostly
an action that actor may take now with valid parameters, sometimes anything with
junk parameters) and checks the invariants after every step.
"""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from console.domain import timelimits
from console.domain.lifecycle import RULES, TransitionError, allowed_actions, apply, why_not
from console.domain.model import DONE_STATES, Action, Ticket, TicketState as S
from tests.domain.helpers import ALL_ACTORS, MONDAY_10, make_ticket

ACTIONS = [a for a in Action if a != Action.CREATE]
CLOCK_STATES = {S.REGISTERED, S.DISPATCHED, S.HANDLING, S.FEEDBACK, S.VERIFIED, S.CLOSED,
                S.ARCHIVED, S.SUSPENDED}
TEXT = st.text(min_size=1, max_size=12).filter(str.strip)
VALID = {
    "department_id": st.sampled_from(["D01", "D02", "D07"]),
    "reason": TEXT, "result": TEXT, "text": TEXT, "note": TEXT, "authority": TEXT,
    "hours": st.floats(min_value=0.5, max_value=720.0),
    "passed": st.booleans(), "on": st.booleans(), "on_time": st.booleans(),
    "main_id": st.sampled_from(["00000000-0000-4000-8000-00000000aaaa"]),
    "photo": st.sampled_from(["a" * 64, "0123456789abcdef" * 4]),
    "level": st.sampled_from(["street", "district"]),
    "checked": st.just(["现场已清扫干净"]),
    "target": TEXT,
    "co_handlers": st.lists(st.sampled_from(["D02", "D07", "D09"]), min_size=1, max_size=2, unique=True),
}
JUNK = st.one_of(st.none(), st.just(""), st.just(" "), st.integers(-5, 1000), st.booleans(),
                 st.text(max_size=3), st.just("x" * 2001), st.floats(allow_nan=True))
PARAM_NAMES = sorted(VALID) + ["bogus"]


def check_invariants(t: Ticket, applied: int) -> None:
    assert t.version == applied
    assert isinstance(t.state, S)
    if t.state in (S.CLOSED, S.ARCHIVED):
        if t.duplicate_of is None:  # a duplicate (并案) closes with its main, unverified itself
            assert t.verified_by and t.reviewed_by and t.verified_by != t.reviewed_by
        assert t.closed_at is not None and isinstance(t.closed_on_time, bool)
    if t.state == S.VERIFIED:
        assert t.verified_by is not None
    if t.reviewed_by is not None:
        assert t.verified_by is not None and t.reviewed_by != t.verified_by
    if t.state in (S.DISPATCHED, S.HANDLING):
        assert t.department_id
    suspended = t.state == S.SUSPENDED
    assert suspended == (t.suspended_since is not None) == (t.resume_state is not None)
    if suspended and t.duplicate_of is not None:   # 并案 happens before dispatch
        assert t.resume_state in (S.PENDING, S.ACCEPTED, S.REGISTERED)
    elif suspended:
        assert t.resume_state in (S.REGISTERED, S.DISPATCHED, S.HANDLING)
    merged_early = t.duplicate_of is not None and (t.resume_state in (S.PENDING, S.ACCEPTED) or t.state in DONE_STATES)
    if t.state in CLOCK_STATES and not merged_early:
        assert t.clock_start is not None   # (a report merged before 立案 never started its clock)
    if t.state in (S.PENDING, S.ACCEPTED):
        assert t.clock_start is None
    no_deadline = t.clock_start is None or suspended or t.state in DONE_STATES
    assert (t.deadline is None) == no_deadline
    assert t.deadline == timelimits.compute_deadline(t)
    assert t.needs_commander == (t.commander_reason != "")
    if t.extension_request is not None:
        assert t.needs_commander
    if t.state in DONE_STATES:
        assert not t.needs_commander and t.extension_request is None
    assert min(t.urge_count, t.escalation_level, t.rework_count) >= 0
    assert t.extension_hours >= 0 and t.suspended_seconds >= 0
    if t.state in (S.VERIFIED, S.CLOSED, S.ARCHIVED):  # joint: nobody still owes feedback
        assert all(e["state"] != "pending" for e in t.co_handlers)
    if t.state in (S.PENDING, S.ACCEPTED, S.REGISTERED, S.RETURNED) and t.rework_count == 0:
        assert t.co_handlers == ()
    assert Ticket.from_dict(t.to_dict()) == t  # survives the wire


@st.composite
def step(draw, t: Ticket):
    busy = [a for a in ALL_ACTORS if allowed_actions(t, a)]
    if busy and draw(st.integers(0, 9)) < 8:
        actor = draw(st.sampled_from(busy))
        action = draw(st.sampled_from(sorted(allowed_actions(t, actor))))
    else:
        actor = draw(st.sampled_from(ALL_ACTORS))
        action = draw(st.sampled_from(ACTIONS))
    rule = next((r for r in RULES[action] if t.state in r.sources), RULES[action][0])
    if draw(st.integers(0, 9)) < 8:
        keys = sorted(rule.required) + [k for k in sorted(rule.optional) if draw(st.booleans())]
        params = {k: draw(VALID[k]) for k in keys}
    else:
        params = draw(st.dictionaries(st.sampled_from(PARAM_NAMES), JUNK, max_size=3))
    gap = draw(st.sampled_from([0.0, 60.0, 3600.0, 86400.0, 3 * 86400.0]))
    return actor, action, params, gap


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_sequences_keep_tickets_consistent(data):
    t = make_ticket()
    now, applied, event_ids = MONDAY_10, 0, set()
    for _ in range(data.draw(st.integers(1, 60))):
        actor, action, params, gap = data.draw(step(t))
        now += gap
        before, snapshot, params_before = t, t.to_dict(), dict(params)
        reason = why_not(t, action, actor)
        try:
            t, event = apply(t, action, actor, params, now)
        except TransitionError as exc:
            assert exc.code in TransitionError.CODES and exc.message
            assert before.to_dict() == snapshot and params == params_before
            if exc.code in ("missing_param", "invalid_param"):
                assert reason is None
            else:
                assert reason == exc.message
            continue
        applied += 1
        assert reason is None and action in allowed_actions(before, actor)
        assert (event.ticket_id, event.action, event.actor, event.at) == (t.id, action, actor, now)
        assert (event.from_state, event.to_state) == (before.state, t.state)
        assert event.event_id not in event_ids
        event_ids.add(event.event_id)
        assert t.updated_at == now
        assert apply(before, action, actor, params, now) == (t, event)  # deterministic
        check_invariants(t, applied)


def test_sequences_reach_every_state():
    """The random walk's bias is good enough to explore the whole machine."""
    seen = set()

    # sorted draws above: with derandomize the walk is the same under every PYTHONHASHSEED
    # (set order once decided it, and one seed in a fresh-clone run never reached 处置中)
    @settings(max_examples=200, deadline=None, database=None, derandomize=True)
    @given(data=st.data())
    def walk(data):
        t = make_ticket()
        now = MONDAY_10
        for _ in range(40):
            actor, action, params, gap = data.draw(step(t))
            now += gap
            try:
                t, _ = apply(t, action, actor, params, now)
            except TransitionError:
                continue
            seen.add(t.state)

    walk()
    assert seen >= set(S) - {S.PENDING}
