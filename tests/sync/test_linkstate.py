"""Link state machine, driven by a fake clock (no threads, no waiting)."""

from console.sync.linkstate import LinkMonitor, LinkState


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def make(**kw):
    clock = Clock()
    changes, outages = [], []
    depth = {"n": 0}
    mon = LinkMonitor(on_change=lambda s, i: changes.append((s, i)), on_outage=outages.append,
                      queued=lambda: depth["n"], clock=clock, wall=clock, **kw)
    for _ in range(3):                    # prove the line good first
        mon.success(0.05)
    changes.clear()
    return mon, clock, changes, outages, depth


def test_starts_in_doubt_and_goes_online_after_three_fast_answers():
    clock = Clock()
    mon = LinkMonitor(clock=clock, wall=clock)
    assert mon.state == LinkState.DEGRADED and mon.in_doubt
    mon.success(None)                     # a feed page: contact, but no latency verdict
    mon.success(0.05)
    mon.success(0.05)
    assert mon.state == LinkState.DEGRADED
    mon.success(0.05)
    assert mon.state == LinkState.ONLINE and not mon.in_doubt


def test_fast_answers_keep_it_online():
    mon, clock, changes, _, _ = make()
    for _ in range(20):
        clock.t += 1
        mon.success(0.05)
        mon.tick()
    assert mon.state == LinkState.ONLINE and changes == []


def test_slow_answer_degrades_then_recovers_after_three_fast_ones():
    mon, clock, changes, _, _ = make()
    mon.success(2.5)
    assert mon.state == LinkState.DEGRADED
    mon.success(0.1)
    mon.success(0.1)
    assert mon.state == LinkState.DEGRADED
    mon.success(0.1)
    assert mon.state == LinkState.ONLINE
    assert [s for s, _ in changes] == [LinkState.DEGRADED, LinkState.ONLINE]


def test_intermittent_failure_degrades_consecutive_failures_go_offline():
    mon, clock, _, _, _ = make()
    mon.success(0.1)
    mon.failure("reset")
    assert mon.state == LinkState.DEGRADED
    mon.success(0.1)
    mon.failure("reset")
    mon.failure("reset")
    assert mon.state == LinkState.DEGRADED
    mon.failure("reset")
    assert mon.state == LinkState.OFFLINE


def test_silence_decides_offline_within_five_seconds():
    mon, clock, _, outages, depth = make()
    mon.success(0.1)
    t_dead = clock.t
    depth["n"] = 7
    while mon.state != LinkState.OFFLINE:
        clock.t += 0.25
        mon.tick()
        assert clock.t - t_dead < 5.0
    d = mon.last_decision(LinkState.OFFLINE)
    assert 4.0 < d.at_mono - t_dead <= 4.25
    # the outage is recorded with the queue depth at its start and end
    assert len(outages) == 1 and outages[0].end is None   # reported as it starts
    depth["n"] = 9
    clock.t += 3.0
    mon.success(0.1)
    assert mon.state == LinkState.DEGRADED
    assert len(outages) == 2 and outages[1] is outages[0]  # and again as it ends
    o = outages[0]
    assert (o.queued_at_start, o.queued_at_end) == (7, 9)
    assert o.duration_s == 3.0


def test_offline_comes_back_through_degraded():
    mon, clock, changes, _, _ = make()
    for _ in range(3):
        mon.failure("refused")
    assert mon.state == LinkState.OFFLINE
    mon.success(0.05)
    assert mon.state == LinkState.DEGRADED
    mon.success(0.05)
    mon.success(0.05)
    assert mon.state == LinkState.ONLINE


def test_listener_errors_do_not_break_the_monitor():
    clock = Clock()

    def boom(*a):
        raise RuntimeError("listener bug")

    mon = LinkMonitor(on_change=boom, on_outage=boom, clock=clock, wall=clock)
    for _ in range(3):
        mon.success(0.1)
    for _ in range(3):
        mon.failure("x")
    mon.success(0.1)
    assert mon.state == LinkState.DEGRADED


def test_bulk_answers_prove_contact_without_judging_latency():
    mon, clock, changes, _, _ = make()
    mon.success(2.5)                      # a slow ping: degraded
    for _ in range(5):
        mon.success(None)                 # 5000-change pages: contact, no verdict
    assert mon.state == LinkState.DEGRADED
    for _ in range(3):
        mon.failure("x")
    assert mon.state == LinkState.OFFLINE
    mon.success(None)
    assert mon.state == LinkState.DEGRADED


def test_wait_for_returns_when_the_state_is_reached():
    import threading
    mon = LinkMonitor()
    threading.Timer(0.05, lambda: [mon.failure("x") for _ in range(3)]).start()
    assert mon.wait_for(LinkState.OFFLINE, 5)
    assert not mon.wait_for(LinkState.ONLINE, 0.05)


from hypothesis import given, settings
from hypothesis import strategies as st

_event = st.one_of(
    st.tuples(st.just("ok"), st.floats(0.0, 6.0)),
    st.tuples(st.just("bulk"), st.none()),
    st.tuples(st.just("fail"), st.none()),
    st.tuples(st.just("wait"), st.floats(0.0, 3.0)),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_event, max_size=40))
def test_whatever_came_before_a_dead_link_is_offline_within_5s(history):
    clock = Clock()
    mon = LinkMonitor(clock=clock, wall=clock)
    for kind, x in history:
        if kind == "ok":
            mon.success(x)
        elif kind == "bulk":
            mon.success(None)
        elif kind == "fail":
            mon.failure("x")
        else:
            clock.t += x
            mon.tick()
    # the line dies now: only ticks (every 0.25 s) and failed pings (every 1 s) follow
    t_dead = clock.t
    steps = 0
    while mon.state != LinkState.OFFLINE:
        clock.t += 0.25
        steps += 1
        mon.tick()
        if steps % 4 == 0:
            mon.failure("ping timed out")
        assert clock.t - t_dead <= 5.0
    # and the outages list never holds an outage that ended before it started
    assert all(o.end_mono is None or o.end_mono >= o.start_mono for o in mon.outages)
