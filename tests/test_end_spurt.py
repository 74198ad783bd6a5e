"""The end spurt as races show it: a rise spread over the last several hundred metres, no
slowing at the line, and the last km the fastest where the record splits have it so.

The shape comes from the mechanism, not a shaped curve: the held reserve is released as
the believed end comes within the spurt horizon, and the governor spends it no faster than
the recruitment ceiling (which falls with the reserve, Morton 1996) can still carry at the
line. Each test here fails on a governor that spends the reserve without regard to the
ceiling (speed peaks ~200 m out and falls toward the line) or releases it over one lap.
"""

import math

import numpy as np
import pytest

import governor as gv
from governor import studies
from governor.brain import (
    ceiling_held_speed_distance,
    ceiling_held_speed_time,
    reserve_feasible_speed_distance,
)
from governor.physiology.reserve import recruitment_ceiling

RACES = [(gv.ELITE, 5000.0), (gv.ELITE, 10000.0), (gv.TRAINED, 5000.0),
         (gv.TRAINED, 10000.0)]


def _speed_before_line(sim, metres):
    d = sim.trace["distance_m"].to_numpy()
    return np.interp(d[-1] - np.asarray(metres, dtype=float), d,
                     sim.trace["speed_mps"].to_numpy())


@pytest.fixture(scope="module")
def races():
    return [gv.simulate(p, gv.Race(d)) for p, d in RACES]


def test_ceiling_held_speed_leaves_the_ceiling_equal_to_the_speed_at_the_line():
    cs, d0, vmax = 5.0, 200.0, 9.0
    for reserve, s in [(60.0, 300.0), (150.0, 800.0), (10.0, 50.0), (200.0, 5000.0)]:
        e = ceiling_held_speed_distance(cs, reserve, d0, vmax, s)
        left = reserve - (e - cs) * s / e
        assert recruitment_ceiling(left, d0, cs, vmax) * vmax == pytest.approx(e, rel=1e-9)
    # timed: D - x T left
    e = ceiling_held_speed_time(cs, 80.0, d0, vmax, 60.0)
    left = 80.0 - (e - cs) * 60.0
    assert recruitment_ceiling(left, d0, cs, vmax) * vmax == pytest.approx(e, rel=1e-9)
    # no reserve: only CS can be held; far from the line it is no limit at all
    assert ceiling_held_speed_distance(cs, 0.0, d0, vmax, 400.0) == pytest.approx(cs)
    assert (ceiling_held_speed_distance(cs, 150.0, d0, vmax, 8000.0)
            > reserve_feasible_speed_distance(cs, 150.0, 50.0, 8000.0))
    # with the spendable reserve above the distance left, the spend alone allows any speed;
    # the ceiling does not
    assert reserve_feasible_speed_distance(cs, 150.0, 0.0, 100.0) == math.inf
    assert ceiling_held_speed_distance(cs, 150.0, d0, vmax, 100.0) < vmax


def test_no_one_slows_in_the_last_metres(races):
    for (_params, distance), sim in zip(RACES, races, strict=True):
        last_km = _speed_before_line(sim, np.linspace(0.0, 1000.0, 201))
        at_line = _speed_before_line(sim, [5.0])[0]
        assert at_line >= 0.99 * last_km.max(), (distance, at_line, last_km.max())


def _rise_and_onset(sim):
    """The speed at the line over the speed 1500 m out, and how far out [m] the speed has
    made a quarter of that rise (NaN without a rise)."""
    before = _speed_before_line(sim, [1500.0])[0]
    final = _speed_before_line(sim, [5.0])[0]
    if final <= before:
        return final / before, math.nan
    metres = np.arange(0.0, 1500.0, 5.0)
    v = _speed_before_line(sim, metres)
    return final / before, metres[v > before + 0.25 * (final - before)].max()


def test_the_rise_is_spread_over_the_last_several_hundred_metres(races):
    for (_params, distance), sim in zip(RACES, races, strict=True):
        rise, onset = _rise_and_onset(sim)
        assert rise > 1.02
        # where the speed has made a quarter of its rise: 350-1000 m out, not in the last
        # lap alone
        assert 350.0 <= onset <= 1000.0, (distance, onset)


WRONG_SPURTS = {
    # the reserve released over the last 10 min of a 5000 m: the speed creeps up over the
    # last 2-3 km, or not at all, instead of rising over the last lap or two
    "released over ten minutes": dict(spurt_horizon_s=600.0),
    # no reserve held for the end: nothing is left to spurt with
    "no reserve held": dict(reserve_margin=0.0),
}


@pytest.mark.parametrize("params", [gv.TRAINED, gv.ELITE], ids=["TRAINED", "ELITE"])
@pytest.mark.parametrize("wrong", list(WRONG_SPURTS))
def test_a_wrong_release_gives_no_spurt_of_that_shape(params, wrong):
    rise, onset = _rise_and_onset(gv.simulate(params.replace(**WRONG_SPURTS[wrong]),
                                              gv.Race(5000.0)))
    assert not (rise > 1.02 and 350.0 <= onset <= 1000.0), (rise, onset)


@pytest.mark.parametrize("path", studies.race_files()[1:], ids=lambda p: p.stem)
def test_last_km_is_the_fastest_where_the_record_has_it_so(path):
    """The 5000 m records in ``governor/data/races``, in their conditions: when the
    record's last km is its fastest, the simulated race's is too."""
    splits = studies.read_splits(path)
    marks = splits["distance_m"].to_numpy()
    published = studies.split_paces(marks, splits["elapsed_s"].to_numpy())["relative_pace"]
    result = studies.record_race(path)
    simulated = np.array([result.values[f"relative_pace_{m:g}m"] for m in marks])
    if published.to_numpy()[-1] == published.min():
        assert simulated[-1] == simulated.min()
    assert simulated[-1] < 0.0
