"""Beliefs act on perceived exertion, and an end the runner cannot see is not spurted for.

Each test here fails on a model whose perception is afferent only, or whose unknown
endpoint is a known number scaled by a hedge.
"""

import math

import numpy as np
import pytest

import governor as gv
from governor.brain import expected_remaining
from governor.perception import (
    expectation_rate_per_s,
    external_feedback_cr10,
    perceived_drive_cr10,
)

RUNNER = gv.TRAINED
#: a steady treadmill run well below critical speed, 20 min (Baden et al. 2005: 75 % of peak
#: treadmill speed)
STEADY = gv.TimeToExhaustion(0.85 * RUNNER.critical_speed_mps, time_limit_s=1200.0)


def _rpe(feedback):
    return gv.simulate(RUNNER, STEADY, feedback=feedback).trace["rpe"]


def test_external_feedback_by_hand():
    assert external_feedback_cr10(1200.0, 600.0, 1.0) == pytest.approx(math.log(2.0))
    assert external_feedback_cr10(600.0, 1200.0, 1.0) == pytest.approx(-math.log(2.0))
    assert external_feedback_cr10(900.0, 900.0, 1.5) == 0.0
    assert external_feedback_cr10(math.nan, 900.0, 1.0) == 0.0
    assert external_feedback_cr10(900.0, 0.0, 1.0) == 0.0
    assert expectation_rate_per_s(1200.0, 600.0, 120.0) == pytest.approx(5.0)
    assert expectation_rate_per_s(math.nan, 600.0, 120.0) == 0.0
    assert perceived_drive_cr10(9.8, 0.5) == 10.0 and perceived_drive_cr10(0.2, -0.5) == 0.0


def test_told_more_remains_at_constant_speed_feels_harder_then_the_surprise_fades():
    """Baden et al. 2005: told 10 min, then at 10 min told to run 10 more, RPE rose between
    10 and 11 min against a run told 20 min from the start, at the same speed."""
    planned = _rpe(gv.Feedback(believed_duration_s=1200.0))
    extended = _rpe(gv.Feedback(believed_duration_s=600.0,
                                changes=((600.0, {"believed_duration_s": 1200.0}),)))
    before = planned.index < 600.0
    np.testing.assert_allclose(extended[before], planned[before], rtol=1e-12)
    rise = extended.loc[630.0:660.0] - planned.loc[630.0:660.0]
    assert rise.min() > 0.25
    # the new duration becomes the plan: the difference fades
    assert abs(extended.loc[1150.0] - planned.loc[1150.0]) < 0.2 * rise.max()


def test_told_less_remains_at_constant_speed_feels_easier():
    planned = _rpe(gv.Feedback(believed_duration_s=1200.0))
    shortened = _rpe(gv.Feedback(believed_duration_s=1200.0,
                                 changes=((600.0, {"believed_duration_s": 900.0}),)))
    assert (shortened.loc[630.0:660.0] - planned.loc[630.0:660.0]).max() < -0.1


def test_expected_remainder_of_an_unknown_end_never_reaches_zero():
    median, sd = 4000.0, 0.15
    left = [expected_remaining(d, median, sd) for d in (0.0, 2000.0, 4000.0, 6000.0, 12000.0)]
    assert left[0] > median  # a lognormal's mean is beyond its median
    assert all(x > 200.0 for x in left)
    assert expected_remaining(3000.0, median, 0.0) == 1000.0
    # by Monte Carlo: E[L - d | L > d]
    rng = np.random.default_rng(1)
    total = median * np.exp(sd * rng.standard_normal(2_000_000))
    for d in (2000.0, 4000.0, 5000.0):
        beyond = total[total > d]
        assert expected_remaining(d, median, sd) == pytest.approx(np.mean(beyond - d), rel=0.01)


def _race(feedback, distance=10000.0):
    return gv.simulate(RUNNER, gv.Race(distance), feedback=feedback).summary()


def test_an_end_the_runner_cannot_see_gets_no_end_spurt_and_keeps_the_reserve():
    """An experienced runner not told where the line is paces well but cannot release the
    reserve for it: the last km is not faster than the mean, and the reserve is left."""
    known = _race(gv.Feedback())
    unknown = _race(gv.Feedback(endpoint_known=False))
    assert known["end_spurt_pct"] > 0.5
    assert unknown["end_spurt_pct"] < 0.0
    assert unknown["reserve_left_fraction"] > known["reserve_left_fraction"] + 0.1
    # experience still teaches the pacing: within 2 % of the informed time
    assert unknown["finish_time_s"] / known["finish_time_s"] - 1.0 < 0.02


def test_an_end_revealed_mid_race_releases_the_reserve_from_then():
    known = _race(gv.Feedback())
    revealed = _race(gv.Feedback(endpoint_known=False,
                                 changes=((1450.0, {"endpoint_known": True}),)))
    unknown = _race(gv.Feedback(endpoint_known=False))
    assert revealed["end_spurt_pct"] > 0.5
    assert revealed["reserve_left_fraction"] < unknown["reserve_left_fraction"] - 0.1
    assert revealed["finish_time_s"] < unknown["finish_time_s"]
    assert revealed["finish_time_s"] == pytest.approx(known["finish_time_s"], rel=0.005)


def test_with_no_distance_shown_the_runner_knows_the_total_but_cannot_spurt_for_it():
    """Micklewright et al. 2010: without feedback the gain of full feedback came in the
    last quarter. Dead reckoning leaves what is done uncertain: no end spurt, the reserve
    kept; the display switched on for the last quarter gives the spurt back."""
    informed = _race(gv.Feedback(), 20000.0)
    blind = _race(gv.Feedback(distance_display=False), 20000.0)
    shown_late = _race(gv.Feedback(distance_display=False,
                                   changes=((3150.0, {"distance_display": True}),)), 20000.0)
    assert blind["end_spurt_pct"] < 0.0 < informed["end_spurt_pct"]
    assert blind["reserve_left_fraction"] > informed["reserve_left_fraction"] + 0.1
    assert blind["finish_time_s"] > informed["finish_time_s"]
    assert shown_late["end_spurt_pct"] > 0.5
    assert shown_late["finish_time_s"] == pytest.approx(informed["finish_time_s"], rel=0.002)


def test_dead_reckoning_remainder_by_hand():
    from governor.brain import expected_remaining_unseen_progress as left

    assert left(5000.0, 20000.0, 0.0) == 15000.0
    assert left(0.0, 20000.0, 0.15) == 20000.0
    # by Monte Carlo: E[L - D | D < L] with D lognormal about the estimate
    rng = np.random.default_rng(3)
    for d in (10000.0, 19000.0, 20000.0):
        done = d * np.exp(0.15 * rng.standard_normal(2_000_000))
        below = done[done < 20000.0]
        assert left(d, 20000.0, 0.15) == pytest.approx(np.mean(20000.0 - below), rel=0.01)
    assert left(20000.0, 20000.0, 0.15) > 1000.0


def test_a_watch_that_is_not_shown_changes_nothing():
    hidden = [_race(gv.Feedback(distance_display=False, distance_scale=s))
              for s in (0.9, 1.0, 1.1)]
    times = [h["finish_time_s"] for h in hidden]
    assert max(times) - min(times) < 1e-6


def test_the_unseen_tails_match_their_exact_forms_where_they_take_over():
    """Far in the tail the closed forms underflow and asymptotic forms take over; the two
    join without a step (what remains, relative to what is done, is continuous)."""
    from governor.brain import expected_remaining, expected_remaining_unseen_progress

    for sd in (0.15, 0.5):
        for z in (37.0, 37.6):  # either side of the switch, each on the tail's asymptote
            d = 4000.0 * math.exp(sd * z)
            assert expected_remaining(d, 4000.0, sd) / d == pytest.approx(sd / (z - sd),
                                                                          rel=0.003)
            d = 20000.0 * math.exp(sd * z)
            assert expected_remaining_unseen_progress(d, 20000.0, sd) / 20000.0 == \
                pytest.approx(sd / (sd + z), rel=0.003)
