"""FitResult.plot: observed against fitted pace and heart rate, the hidden states beneath,
each line the model's own prediction at the log's samples; it returns the Figure."""

import re

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

import governor as gv
from governor import plot
from governor.fitting import synthetic_log
from governor.fitting.fit import predicted
from governor.units import METRES_PER_MILE

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


def _pace(speed, metres=1000.0):
    # pace [s per km, or per `metres`] of speeds [m/s]; inf at rest
    with np.errstate(divide="ignore"):
        return metres / np.asarray(speed, dtype=float)


def _panels(result, **kw):
    fig = result.plot(**kw)
    assert isinstance(fig, Figure)
    return np.asarray(fig.axes, dtype=object)


def _line(ax, label):
    lines = [line for line in ax.get_lines() if line.get_label() == label]
    assert len(lines) == 1, f"expected one line labelled {label!r}, found {len(lines)}"
    return lines[0]


def test_six_labelled_panels_sharing_the_x_axis(race_fit, tmp_path):
    fig = race_fit.plot()
    assert isinstance(fig, Figure)
    fig.savefig(tmp_path / "fit.png")   # what a user does with it
    assert (tmp_path / "fit.png").stat().st_size > 0
    axes = np.asarray(fig.axes, dtype=object)
    assert axes.shape == (6,)           # the speed axis is a child of the first, not a panel
    labels = [ax.get_ylabel() for ax in axes]
    for label, word in zip(labels, ("pace", "heart rate", "recruitment", "reserve",
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
    axes = _panels(race_fit)
    km = log.distance_m / 1000.0
    # the speeds as pace [s/km] on an inverted axis, faster higher; speed [m/s] beside it
    for ax, label, y in ((axes[0], "observed", _pace(log.speed_mps)),
                         (axes[0], "fitted", _pace(v)),
                         (axes[1], "observed", log.heart_rate_bpm), (axes[1], "fitted", hr)):
        line = _line(ax, label)
        np.testing.assert_allclose(line.get_xdata(), km)
        np.testing.assert_allclose(line.get_ydata(), y)
    assert axes[0].get_ylabel() == "pace [min/km]" and axes[0].yaxis_inverted()
    to_speed, to_pace = plot.speed_axis_of(axes[0])._functions
    np.testing.assert_allclose(to_speed(_line(axes[0], "fitted").get_ydata()[5:]), v[5:])
    np.testing.assert_allclose(to_pace(to_speed(np.array([180.0, 240.0]))), [180.0, 240.0])
    # the fitted parameters, not the start: a plot of the starting runner differs
    v_start, _, _ = predicted(START, log)
    assert np.max(np.abs(v_start - v)) > 0.01


def test_hidden_states_are_the_fitted_simulation_at_the_same_points(race_fit):
    log = race_fit.logs[0]
    tr = race_fit.simulate().trace
    axes = _panels(race_fit)
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
    axes = _panels(training_fit)
    minutes = log.time_s / 60.0
    assert axes[-1].get_xlabel() == "elapsed time [min]"
    assert axes[0].get_ylabel() == "grade-adjusted pace [min/km]"
    np.testing.assert_allclose(_line(axes[0], "fitted").get_xdata(), minutes)
    np.testing.assert_allclose(_line(axes[0], "fitted").get_ydata(), _pace(v))
    np.testing.assert_allclose(_line(axes[0], "observed (grade-adjusted)").get_ydata(),
                               _pace(log.speed_mps))
    np.testing.assert_allclose(_line(axes[1], "fitted").get_ydata(), hr)
    tr = sim.trace
    np.testing.assert_allclose(_line(axes[4], "core").get_ydata(),
                               np.interp(log.time_s, tr.index, tr["core_temp_c"]))


def test_draws_on_given_axes_and_refuses_the_wrong_number(race_fit):
    fig, given = plt.subplots(6, 1)
    assert race_fit.plot(axes=given) is fig
    assert all(a is b for a, b in zip(fig.axes, given.ravel(), strict=True))
    assert len(fig.axes) == 6  # nothing added beside them
    assert _line(given[1], "fitted").get_ydata().shape == race_fit.logs[0].time_s.shape
    with pytest.raises(ValueError, match="six panels"):
        race_fit.plot(axes=given[:3])
    with pytest.raises(ValueError, match="not both"):
        race_fit.plot(ax=given[0], axes=given)


def test_the_pace_panel_alone_on_one_axes_in_imperial_units(race_fit):
    log = race_fit.logs[0]
    v, _, _ = predicted(race_fit.params_, log)
    fig, ax = plt.subplots()
    assert race_fit.plot(ax=ax, units="imperial") is fig
    assert fig.axes == [ax]
    assert [line.get_label() for line in ax.get_lines()] == ["observed", "fitted"]
    np.testing.assert_allclose(_line(ax, "fitted").get_xdata(), log.distance_m / METRES_PER_MILE)
    np.testing.assert_allclose(_line(ax, "fitted").get_ydata(), _pace(v, METRES_PER_MILE))
    assert ax.get_ylabel() == "pace [min/mile]" and ax.get_xlabel() == "distance [mile]"
    assert "RMSE" in ax.get_title()
    with pytest.raises(ValueError, match="metric"):
        race_fit.plot(units="nautical")


def test_a_log_without_heart_rate_shows_the_model_alone(race_fit):
    activity = synthetic_log(TRUTH, gv.Race(3000.0), seed=13)
    activity["heart_rate_bpm"] = np.nan
    result = gv.fit(activity, params=START, effort="race", temperature_c=20.0, starts=1,
                    with_baselines=False)
    axes = _panels(result)
    assert [line.get_label() for line in axes[1].get_lines()] == ["fitted"]
    assert "no heart rate" in axes[1].get_title()


def test_a_failed_fit_has_nothing_to_plot(training_fit):
    activity = synthetic_log(TRUTH, gv.Training.steady(600.0, target_rpe=3.0), seed=14)
    activity["heart_rate_bpm"] = np.nan
    result = gv.fit(activity, effort="training")
    assert not result.success
    with pytest.raises(ValueError, match="no fitted model"):
        result.plot()
