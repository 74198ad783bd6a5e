"""The grade under the runner: the course's mean grade over the 10 m around them, so a
change of grade is run into over a few steps and a simulation (and a fit's misfit) moves
continuously with the parameters."""

from __future__ import annotations

import importlib
import math

import numpy as np
import pytest

import governor as gv
from governor.fitting import synthetic_log
from governor.fitting.data import prepare
from governor.fitting.synthetic import population_course
from governor.model import GRADE_WINDOW_M, _grade_at

fit_module = importlib.import_module("governor.fitting.fit")


def _grades(course: gv.Course, s: np.ndarray) -> np.ndarray:
    d, g = course.grade_arrays()
    return np.array([_grade_at(float(x), d, g) for x in s])


def test_a_change_of_grade_is_taken_over_ten_metres():
    course = gv.Course.hill(100.0, 0.10, start_m=100.0, total_m=400.0)
    assert GRADE_WINDOW_M == 10.0
    at = np.array([94.0, 95.0, 97.5, 100.0, 102.5, 105.0, 150.0, 195.0, 200.0, 205.0, 300.0])
    assert _grades(course, at) == pytest.approx(
        [0.0, 0.0, 0.025, 0.05, 0.075, 0.1, 0.1, 0.1, 0.05, 0.0, 0.0], abs=1e-12)


def test_the_climb_over_the_course_is_unchanged():
    course = population_course(3000.0, hills_m=6.0)
    s = np.arange(0.0, 2000.0, 0.25)
    climb = np.trapezoid(_grades(course, s), s)
    d, z = np.asarray(course.distance_m), np.asarray(course.elevation_m)
    assert climb == pytest.approx(np.interp(2000.0, d, z) - z[0], abs=0.01)


def test_a_hilly_races_misfit_moves_smoothly_along_the_d_prime_margin_valley():
    # with the grade a step at every point of the profile, the simulated speed at a sample
    # jumps whenever a parameter moves the runner across a point: along D' and the margin,
    # where the misfit is nearly flat (one race run by a larger D' held back by a larger
    # margin), it changed in steps larger than its slope, and a fit stopped where it started
    truth = gv.TRAINED.replace(critical_speed_mps=4.6, d_prime_m=230.0, reserve_margin=0.3)
    race = synthetic_log(truth, gv.Race(5000.0), course=population_course(5000.0, 4.0),
                         seed=3)
    log = prepare(race, effort="race", temperature_c=20.0,
                  heart_rate_max_bpm=truth.heart_rate_max_bpm)
    problem = fit_module._Problem(truth, ("critical_speed_mps", "d_prime_m",
                                          "reserve_margin"), [log], heart=False)
    u = problem.to_u(truth)
    for j in (1, 2):
        costs = []
        for h in np.linspace(-2e-3, 2e-3, 21):
            v = u.copy()
            v[j] += h
            costs.append(float(np.sum(problem(v) ** 2)))
        curvature = np.abs(np.diff(costs, 2))
        slope = np.abs(np.diff(costs))
        assert curvature.max() < 0.05 + 0.1 * slope.max(), (j, np.round(costs, 3))


def test_a_smoothed_course_keeps_its_slope_to_both_ends():
    # the profile's running median and mean are centred windows; cut short at an end they
    # averaged only the profile behind it, and a climb running to the finish came out
    # flatter over its last 50 m (a race fit then saw the model speed up at the line)
    d = np.arange(0.0, 3012.0, 1.0)
    course = gv.Course.smoothed(d, 100.0 + 0.012 * d)
    dd, z = np.asarray(course.distance_m), np.asarray(course.elevation_m)
    grades = np.diff(z) / np.diff(dd)
    assert grades == pytest.approx(0.012, abs=1e-6)
    assert dd[-1] >= d[-1]  # the profile reaches the end of the run


def test_a_profile_whose_elevation_starts_late_keeps_its_distances():
    # elevation missing over the first 200 m: flat there, and the climb where it was run
    # (the profile once started at its first reading, 200 m early), to the end of the run
    d = np.arange(0.0, 3001.0, 5.0)
    z = 100.0 + 0.01 * d
    z[d < 200.0] = np.nan
    course = gv.Course.smoothed(d, z)
    dd, zz = np.asarray(course.distance_m), np.asarray(course.elevation_m)
    assert dd[-1] == pytest.approx(3000.0)
    assert np.interp(1500.0, dd, zz) == pytest.approx(115.0, abs=0.05)
    # one reading of elevation only: a flat course, not an error
    flat = gv.Course.smoothed([0.0, 200.0], [math.nan, 5.0])
    assert np.ptp(np.asarray(flat.elevation_m)) < 1e-9
