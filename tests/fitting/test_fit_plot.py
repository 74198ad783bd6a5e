"""FitResult.plot: observed against fitted speed and heart rate, the hidden states beneath,
each line the model's own prediction at the log's samples."""

import re

import matplotlib.pyplot as plt
import numpy as np
import pytest

import governor as gv
from governor.fitting import synthetic_log
from governor.fitting.fit import predicted

TRUTH = gv.TRAINED.replace(critical_speed_mps=4.6, d_prime_m=230.0, reserve_margin=0.3)
#: The runner the fits start from: away from the truth, so the fitted model is not it.
START = gv.TRAINED.replace(reserve_margin=0.15, heart_rate_tau_rise_s=20.0)
UNIT = re.compile(r"\[[^\]]+\]")


@pytest.fixture(scope="module")
def race_fit():
    log = synthetic_log(TRUTH, gv.Race(3000.0), seed=11)
    return gv.fit(log, params=START, effort="race", temperature_c=20.0, starts=2,
                  with_baselines=False)


@pytest.fixture(scope="module")
def training_fit():
    session = gv.Training.intervals(3, 120.0, 90.0, work_speed_mps=5.0, warmup_s=300.0,
                                    cooldown_s=300.0)
    log = synthetic_log(TRUTH, session, seed=12, pause_at_s=700.0, pause_s=40.0)
    return gv.fit(log, params=START, effort="intervals", temperature_c=20.0, starts=2,
                  with_baselines=False)


def _line(ax, label):
    lines = [line for line in ax.get_lines() if line.get_label() == label]
    assert len(lines) == 1, f"expected one line labelled {label!r}, found {len(lines)}"
    return lines[0]


def test_six_labelled_panels_sharing_the_x_axis(race_fit):
    axes = race_fit.plot()
    assert isinstance(axes, np.ndarray) and axes.shape == (6,)
    labels = [ax.get_ylabel() for ax in axes]
    for label, word in zip(labels, ("speed", "heart rate", "recruitment", "reserve",
                                    "core temperature", "perceived exertion"), strict=True):
        assert word in label and UNIT.search(label), label
    assert axes[-1].get_xlabel() == "distance [km]"
    assert "race" in axes[0].get_title() and "RMSE" in axes[0].get_title()
    for ax in axes:
        assert ax.get_legend() is not None
        assert ax.get_shared_x_axes().joined(ax, axes[0])


def test_fitted_lines_are_the_model_prediction_by_distance_in_a_race(race_fit):
    log = race_fit.logs[0]
    v, hr, _ = predicted(race_fit.params_, log)
    axes = race_fit.plot()
    km = log.distance_m / 1000.0
    for ax, label, y in ((axes[0], "observed", log.speed_mps), (axes[0], "fitted", v),
                         (axes[1], "observed", log.heart_rate_bpm), (axes[1], "fitted", hr)):
        line = _line(ax, label)
        np.testing.assert_allclose(line.get_xdata(), km)
        np.testing.assert_allclose(line.get_ydata(), y)
    # the fitted parameters, not the start: a plot of the starting runner differs
    v_start, _, _ = predicted(START, log)
    assert np.max(np.abs(v_start - v)) > 0.01


def test_hidden_states_are_the_fitted_simulation_at_the_same_points(race_fit):
    log = race_fit.logs[0]
    tr = race_fit.simulate().trace
    axes = race_fit.plot()
    panels = {"recruitment": (axes[2], "recruitment"),
              "recruitment ceiling": (axes[2], "recruitment_ceiling"),
              "reserve": (axes[3], "reserve_m"), "safety reserve": (axes[3], "safety_reserve_m"),
              "core": (axes[4], "core_temp_c"), "RPE": (axes[5], "rpe")}
    for label, (ax, column) in panels.items():
        y = _line(ax, label).get_ydata()
        assert y.shape == log.distance_m.shape, label
        # at the finish line of the log, the state the simulation finished with
        assert y[-1] == pytest.approx(tr[column].iloc[-1], rel=1e-3, abs=1e-3), label
        expected = np.interp(log.distance_m, tr["distance_m"], tr[column])
        np.testing.assert_allclose(y, expected, err_msg=label)
    recruitment = _line(axes[2], "recruitment").get_ydata()
    ceiling = _line(axes[2], "recruitment ceiling").get_ydata()
    assert np.all(recruitment <= ceiling + 1e-6)
    reserve = _line(axes[3], "reserve").get_ydata()
    assert reserve[0] == pytest.approx(race_fit.params_.d_prime_m)
    assert reserve[-1] < 0.5 * reserve[0]  # a race spends the reserve


def test_training_log_is_drawn_by_time_in_grade_adjusted_speed(training_fit):
    log = training_fit.logs[0]
    v, hr, sim = predicted(training_fit.params_, log)
    axes = training_fit.plot()
    minutes = log.time_s / 60.0
    assert axes[-1].get_xlabel() == "elapsed time [min]"
    assert "grade-adjusted" in axes[0].get_ylabel()
    np.testing.assert_allclose(_line(axes[0], "fitted").get_xdata(), minutes)
    np.testing.assert_allclose(_line(axes[0], "fitted").get_ydata(), v)
    np.testing.assert_allclose(_line(axes[0], "observed (grade-adjusted)").get_ydata(),
                               log.speed_mps)
    np.testing.assert_allclose(_line(axes[1], "fitted").get_ydata(), hr)
    tr = sim.trace
    np.testing.assert_allclose(_line(axes[4], "core").get_ydata(),
                               np.interp(log.time_s, tr.index, tr["core_temp_c"]))


def test_draws_on_given_axes_and_refuses_the_wrong_number(race_fit):
    fig, given = plt.subplots(6, 1)
    axes = race_fit.plot(axes=given)
    assert all(a is b for a, b in zip(axes, given.ravel(), strict=True))
    assert len(fig.axes) == 6  # nothing added beside them
    with pytest.raises(ValueError, match="six panels"):
        race_fit.plot(axes=given[:3])


def test_a_log_without_heart_rate_shows_the_model_alone(race_fit):
    activity = synthetic_log(TRUTH, gv.Race(3000.0), seed=13)
    activity["heart_rate_bpm"] = np.nan
    result = gv.fit(activity, params=START, effort="race", temperature_c=20.0, starts=1,
                    with_baselines=False)
    axes = result.plot()
    assert [line.get_label() for line in axes[1].get_lines()] == ["fitted"]
    assert "no heart rate" in axes[1].get_title()


def test_a_failed_fit_has_nothing_to_plot(training_fit):
    activity = synthetic_log(TRUTH, gv.Training.steady(600.0, target_rpe=3.0), seed=14)
    activity["heart_rate_bpm"] = np.nan
    result = gv.fit(activity, effort="training")
    assert not result.success
    with pytest.raises(ValueError, match="no fitted model"):
        result.plot()
