"""The fit's residuals re-simulate a log only when what it depends on changed.

Each log keeps its last few residuals, keyed by the model's terms, the time step and its
own distance calibration. A key that left one of them out would hand back another point's
residuals: these tests compare every cached answer with a problem that has never seen the
point.
"""

from __future__ import annotations

import numpy as np
import pytest

import governor as gv
from governor.fitting.data import prepare
from governor.fitting.fit import _Problem
from governor.fitting.synthetic import synthetic_log

TRUTH = gv.TRAINED.replace(critical_speed_mps=4.6, d_prime_m=230.0, reserve_margin=0.3)
NAMES = ("critical_speed_mps", "d_prime_m", "reserve_margin")


@pytest.fixture(scope="module")
def races():
    acts = [synthetic_log(TRUTH, gv.Race(d), seed=s) for d, s in ((3000.0, 1), (5000.0, 2))]
    return [prepare(a, effort="race", temperature_c=20.0) for a in acts]


def _problem(races):
    return _Problem(TRUTH, NAMES, races, heart=False, scale_taus=[5.0, 5.0])


def test_a_calibration_column_costs_one_simulation_and_gives_the_fresh_residuals(races):
    problem = _problem(races)
    u = problem.to_u(TRUTH)
    problem(u)
    assert problem.evaluations == 2
    moved = u.copy()
    moved[len(NAMES) + 1] += 0.1  # the 5 km's calibration only
    r = problem(moved)
    assert problem.evaluations == 3  # the 3 km's residuals came from the cache
    np.testing.assert_array_equal(r, _problem(races)(moved))
    # and the first point is still there, unchanged
    np.testing.assert_array_equal(problem(u), _problem(races)(u))
    assert problem.evaluations == 3


def test_a_changed_term_or_time_step_simulates_every_log_again(races):
    problem = _problem(races)
    u = problem.to_u(TRUTH)
    base = problem(u)
    moved = u.copy()
    moved[0] += 0.05  # critical speed: both races change
    r = problem(moved)
    assert problem.evaluations == 4
    assert not np.array_equal(r, base)
    np.testing.assert_array_equal(r, _problem(races)(moved))
    problem.dt = 2.0
    coarse = problem(u)
    assert problem.evaluations == 6
    fresh = _problem(races)
    fresh.dt = 2.0
    np.testing.assert_array_equal(coarse, fresh(u))
    assert not np.array_equal(coarse, base)


def test_the_cache_keeps_a_bounded_number_of_points_per_log(races):
    problem = _problem(races)
    u = problem.to_u(TRUTH)
    for i in range(30):
        v = u.copy()
        v[1] = 0.2 + 0.01 * i
        problem(v)
    assert all(len(c) <= 2 * len(NAMES) + 4 for c in problem._cache)
