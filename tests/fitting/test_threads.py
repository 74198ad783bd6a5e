"""A fit's independent parts run on threads and give the same fit as run in turn.

The search's starts and refinements, the interval slopes' columns, the least-squares
finite differences and the profile intervals' ends are independent evaluations; the
compiled integrator releases the GIL, so threads run them at once. Nothing in the result
may depend on how many threads ran: every evaluation is deterministic, and each parallel
part works on its own copy of the problem.
"""

from __future__ import annotations

import contextvars
import sys
import threading

import numpy as np
import pytest

import governor as gv
from governor.fitting.data import prepare
from governor.fitting.fit import _differences, _each, _Problem
from governor.fitting.synthetic import synthetic_log
from governor.solver import integrate_rk4

fit_module = sys.modules["governor.fitting.fit"]  # the module, not the function of its name
TRUTH = gv.TRAINED.replace(critical_speed_mps=4.6, d_prime_m=230.0, reserve_margin=0.3)
NAMES = ("critical_speed_mps", "d_prime_m", "reserve_margin")


@pytest.fixture(scope="module")
def race():
    return synthetic_log(TRUTH, gv.Race(3000.0), seed=4)


@pytest.fixture(scope="module")
def fits(race):
    return {n: gv.fit(race, effort="race", temperature_c=20.0, with_baselines=False,
                      threads=n) for n in (1, 2)}


def test_the_fit_is_the_same_on_one_thread_and_on_two(fits):
    one, two = fits[1], fits[2]
    assert one.varied == two.varied
    for name in one.varied:
        assert getattr(one.params_, name) == getattr(two.params_, name), name
        assert one.stderr_[name] == two.stderr_[name] or (
            np.isnan(one.stderr_[name]) and np.isnan(two.stderr_[name])), name
        np.testing.assert_array_equal(one.interval_[name], two.interval_[name])
    assert one.distance_scale_ == two.distance_scale_
    # the profile's ends were refitted, not left at the Wald interval
    low, high = two.interval_["d_prime_m"]
    assert low < two.params_.d_prime_m < high


def test_threads_must_be_a_whole_number_of_at_least_one(race):
    for bad in (0, -1, 1.5, True, "2"):
        with pytest.raises(ValueError, match="threads"):
            gv.fit(race, effort="race", threads=bad)


@pytest.fixture(scope="module")
def problem():
    log = prepare(synthetic_log(TRUTH, gv.Race(1500.0), seed=1), effort="race",
                  temperature_c=20.0)
    p = _Problem(TRUTH, NAMES, [log], heart=False)
    p.threads = 2
    return p


def test_each_runs_its_items_at_once_in_order_and_counts_their_simulations(problem):
    u = problem.to_u(TRUTH)
    problem(u)
    before = problem.evaluations
    both = threading.Barrier(2, timeout=30)  # broken unless two items run at once
    var = contextvars.ContextVar("var", default="unset")
    token = var.set("the caller's")

    def work(fork, step):
        assert fork is not problem and fork.threads == 1
        both.wait()
        moved = u.copy()
        moved[0] += step
        return step, var.get(), fork(moved), fork(u)  # u: kept from before the fork

    try:
        out = _each(problem, work, [0.01, 0.02])
    finally:
        var.reset(token)
    assert [o[0] for o in out] == [0.01, 0.02]
    assert all(o[1] == "the caller's" for o in out)
    assert problem.evaluations == before + 2  # one simulation each; u came from the copy
    fresh = _Problem(TRUTH, NAMES, problem.logs, heart=False)
    for step, _, r, r_u in out:
        moved = u.copy()
        moved[0] += step
        np.testing.assert_array_equal(r, fresh(moved))
        np.testing.assert_array_equal(r_u, fresh(u))


def test_each_on_one_thread_runs_in_turn(problem):
    serial = problem.fork()
    serial.threads = 1
    running = []

    def work(fork, item):
        running.append(item)
        assert running == [item]
        running.pop()
        return item * 2

    assert _each(serial, work, [1, 2, 3]) == [2, 4, 6]


def test_finite_differences_go_to_threads_only_with_more_than_one(problem):
    one = problem.fork()
    one.threads = 1
    with _differences(one) as kwargs:
        assert kwargs == {}
    seen = set()
    with _differences(problem) as kwargs:
        out = kwargs["workers"](lambda x: (seen.add(threading.get_ident()), 2 * x)[1],
                                [1, 2, 3, 4])
    assert out == [2, 4, 6, 8]
    assert threading.get_ident() not in seen


def test_the_integrator_releases_the_gil():
    assert integrate_rk4.targetoptions.get("nogil") is True


def test_blas_runs_one_thread_while_the_fit_runs_several(race, monkeypatch):
    from threadpoolctl import threadpool_info

    seen = {}

    def body(*args):
        seen[args[-1]] = {lib["num_threads"] for lib in threadpool_info()}
        return None

    monkeypatch.setattr(fit_module, "_fit", body)
    gv.fit(race, threads=2)
    gv.fit(race, threads=1)
    assert seen[2] == {1}
    assert seen[1] == {lib["num_threads"] for lib in threadpool_info()}
