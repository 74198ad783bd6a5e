"""governor.plot: each figure draws the trace columns it names, on the Axes it returns; a
speed as pace [s per km or mile] on an inverted m:ss axis, speed [m/s] on a secondary axis."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import governor as gv  # noqa: E402
from governor import plot  # noqa: E402
from governor.units import METRES_PER_MILE, pace_s  # noqa: E402


@pytest.fixture(scope="module")
def race():
    return gv.simulate(gv.TRAINED, gv.Race(3000))


@pytest.fixture(scope="module")
def deceived():
    # told a cooler day and shown a lower core: displayed core differs from the truth
    return gv.simulate(gv.TRAINED, gv.Race(3000),
                       environment=gv.Environment(temperature_c=31.6),
                       feedback=gv.Feedback(told_temperature_c=26.0, core_temp_offset_c=-0.3))


def _line(ax, label):
    lines = [line for line in ax.get_lines() if line.get_label() == label]
    assert len(lines) == 1, f"expected one line labelled {label!r}, found {len(lines)}"
    return lines[0]


def _assert_line(ax, label, x, y):
    line = _line(ax, label)
    np.testing.assert_allclose(line.get_xdata(), x)
    np.testing.assert_allclose(line.get_ydata(), y)


def _per_km(speed, metres=1000.0):
    """Pace [s per km, or per ``metres``] of speeds [m/s], worked out here: inf at rest."""
    with np.errstate(divide="ignore"):
        return metres / np.asarray(speed, dtype=float)


def _assert_pace_axis(ax, per="km"):
    """A pace axis: labelled per unit, inverted (faster higher), m:ss ticks, speed beside."""
    assert ax.get_ylabel().endswith(f"[min/{per}]"), ax.get_ylabel()
    assert ax.yaxis_inverted()
    bottom, top = ax.get_ylim()
    assert np.isfinite([bottom, top]).all() and bottom > top > 0
    assert ax.yaxis.get_major_formatter()(205.4, 0) == "3:25"
    speed = plot.speed_axis_of(ax)
    assert speed is not None and speed.get_ylabel() == "speed [m/s]"
    return speed


def test_plot_race_panels_show_the_trace(race):
    axes = plot.plot_race(race)
    assert isinstance(axes, np.ndarray) and axes.shape == (6,)
    tr = race.trace
    km = tr["distance_m"].to_numpy() / 1000.0
    expected = [
        (0, "speed", "speed_mps"),
        (1, "recruitment", "recruitment"),
        (1, "recruitment ceiling", "recruitment_ceiling"),
        (2, "reserve", "reserve_m"),
        (2, "safety reserve", "safety_reserve_m"),
        (3, "core", "core_temp_c"),
        (3, "skin", "skin_temp_c"),
        (4, "RPE", "rpe"),
        (4, "RPE template", "template_rpe"),
        (5, "hazard score", "hazard_score"),
    ]
    for i, label, column in expected[1:]:
        _assert_line(axes[i], label, km, tr[column].to_numpy())
    # the speed panel draws the trace's speed as pace: 1000 / speed [s/km]
    _assert_line(axes[0], "speed", km, _per_km(tr["speed_mps"]))
    _assert_pace_axis(axes[0])
    # the core limit is a horizontal reference at the runner's limit
    limit = _line(axes[3], "core limit")
    assert np.all(np.asarray(limit.get_ydata()) == race.params.core_temp_limit_c)
    # one shared x-axis, labelled with its unit; every panel says what unit it reads
    assert all(ax.get_shared_x_axes().joined(axes[0], ax) for ax in axes)
    assert axes[-1].get_xlabel() == "distance [km]"
    for ax in axes:
        assert "[" in ax.get_ylabel() and "]" in ax.get_ylabel()
    assert axes[0].get_ylabel() == "pace [min/km]"
    # the panels differ: the recruitment panel is not the speed panel
    assert not np.allclose(_line(axes[1], "recruitment").get_ydata(),
                           _line(axes[0], "speed").get_ydata())


def test_plot_race_on_a_time_axis_and_on_given_axes(race):
    fig, given = plt.subplots(6, 1, sharex=True)
    axes = plot.plot_race(race, axes=given, x="time")
    assert all(a is b for a, b in zip(axes, given, strict=True))
    minutes = race.trace.index.to_numpy() / 60.0
    _assert_line(axes[2], "reserve", minutes, race.trace["reserve_m"].to_numpy())
    assert axes[-1].get_xlabel() == "time [min]"
    with pytest.raises(ValueError, match="six"):
        plot.plot_race(race, axes=given[:3])
    with pytest.raises(ValueError, match="distance"):
        plot.plot_race(race, x="pace")


def test_plot_race_shows_the_beliefs_when_they_differ(race, deceived):
    axes = plot.plot_race(deceived)
    tr = deceived.trace
    km = tr["distance_m"].to_numpy() / 1000.0
    _assert_line(axes[3], "displayed core", km, tr["displayed_core_temp_c"].to_numpy())
    np.testing.assert_allclose(_line(axes[3], "displayed core").get_ydata(),
                               tr["core_temp_c"].to_numpy() - 0.3)
    # a truthful run has nothing to show apart from the truth
    truthful = plot.plot_race(race)
    assert not [ln for ln in truthful[3].get_lines() if ln.get_label() == "displayed core"]


def test_plot_speed_returns_its_axes_and_overlays(race, deceived):
    ax = plot.plot_speed(race)
    _assert_line(ax, "speed", race.trace["distance_m"].to_numpy() / 1000.0,
                 pace_s(race.trace["speed_mps"].to_numpy()))
    assert ax.get_ylabel() == "pace [min/km]"
    same = plot.plot_speed(deceived, ax=ax, label="deceived", x="distance")
    assert same is ax
    _assert_line(ax, "deceived", deceived.trace["distance_m"].to_numpy() / 1000.0,
                 pace_s(deceived.trace["speed_mps"].to_numpy()))
    assert len(ax.child_axes) == 1  # one speed axis, not one per line
    _assert_pace_axis(ax)
    assert plot.speed_axis_of(plot.plot_speed(race, speed_axis=False)) is None


def test_plotted_pace_is_1000_over_the_trace_speed(race):
    ax = plot.plot_speed(race, x="time")
    line = _line(ax, "speed")
    tr = race.trace
    for k in (10, len(tr) // 2, len(tr) - 1):   # a few points, read independently
        assert line.get_xdata()[k] == pytest.approx(tr.index[k] / 60.0)
        assert line.get_ydata()[k] == pytest.approx(1000.0 / tr["speed_mps"].iloc[k])
    # faster is higher: the fastest point is nearer the top of the axes than the slowest
    y = np.asarray(line.get_ydata())
    moving = tr["speed_mps"].to_numpy() > 3.0
    fast, slow = np.argmax(np.where(moving, tr["speed_mps"], -1)), np.argmin(
        np.where(moving, tr["speed_mps"], np.inf))
    to_display = ax.transData.transform
    assert to_display((0, y[fast]))[1] > to_display((0, y[slow]))[1]


def test_the_speed_axis_converts_pace_and_back(race):
    ax = plot.plot_speed(race)
    to_speed, to_pace = plot.speed_axis_of(ax)._functions
    paces = np.array([150.0, 200.0, 250.0, 400.0])
    np.testing.assert_allclose(to_speed(paces), 1000.0 / paces)      # 200 s/km is 5 m/s
    np.testing.assert_allclose(to_pace(to_speed(paces)), paces)
    np.testing.assert_allclose(to_speed(to_pace(np.array([3.0, 5.5]))), [3.0, 5.5])
    imperial = plot.speed_axis_of(plot.plot_speed(race, units="imperial"))
    assert imperial._functions[0](np.array([METRES_PER_MILE / 5.0])) == pytest.approx(5.0)
    # the speed axis reads the line's speed where the pace axis reads its pace
    ax.figure.canvas.draw()
    speed_lo, speed_hi = sorted(plot.speed_axis_of(ax).get_ylim())
    pace_lo, pace_hi = sorted(ax.get_ylim())
    assert speed_lo == pytest.approx(1000.0 / pace_hi) and speed_hi == pytest.approx(
        1000.0 / pace_lo)


def test_imperial_pace_is_1_609344_times_metric(race):
    metric = _line(plot.plot_speed(race), "speed")
    ax = plot.plot_speed(race, units="imperial")
    imperial = _line(ax, "speed")
    np.testing.assert_allclose(imperial.get_ydata(), 1.609344 * metric.get_ydata())
    np.testing.assert_allclose(imperial.get_xdata(),
                               race.trace["distance_m"].to_numpy() / METRES_PER_MILE)
    assert ax.get_xlabel() == "distance [mile]"
    _assert_pace_axis(ax, per="mile")
    with pytest.raises(ValueError, match="metric"):
        plot.plot_speed(race, units="furlongs")


def test_the_standing_start_does_not_blow_up_the_pace_axis(race):
    assert race.trace["speed_mps"].iloc[0] == 0.0   # a start from rest: infinite pace
    ax = plot.plot_speed(race)
    y = np.asarray(_line(ax, "speed").get_ydata())
    assert y[0] == np.inf
    slow_limit, fast_limit = ax.get_ylim()
    running = y[race.trace["distance_m"].to_numpy() > 200.0]
    # the running paces are framed, and the axis is not stretched toward the standstill
    assert fast_limit < running.min() and slow_limit > running.max()
    assert slow_limit < 1.25 * running.max()
    assert slow_limit <= 1000.0 / plot.SLOWEST_FRAMED_MPS * 1.2


def test_pace_ticks_are_round_paces():
    locator = plot.PaceLocator()
    ticks = locator.tick_values(187.0, 262.0)
    assert 3 <= len(ticks) <= 7
    assert np.all(np.mod(ticks, 15.0) == 0)                 # 3:15, 3:30, ...
    assert np.all(np.mod(locator.tick_values(170.0, 190.0), 5.0) == 0)
    assert locator.tick_values(200.0, 200.0).size == 0


def test_pace_of_speeds():
    assert pace_s(4.0) == 250.0
    assert pace_s(0.0) == np.inf and pace_s(-1.0) == np.inf
    np.testing.assert_allclose(pace_s(np.array([5.0, 0.0, np.nan])), [200.0, np.inf, np.nan])
    assert pace_s(5.0, "mile") == pytest.approx(METRES_PER_MILE / 5.0)


def test_plot_splits_draws_split_times(race, deceived):
    sims = {"truthful": race, "deceived": deceived}
    ax = plot.plot_splits(sims)
    for name, sim in sims.items():
        splits = sim.split_times_s(1000.0)   # a km split's time is its pace [s/km]
        _assert_line(ax, name, splits.index.to_numpy() / 1000.0, splits.to_numpy())
    assert [t.get_text() for t in ax.get_legend().get_texts()] == list(sims)
    _assert_pace_axis(ax)


def test_plot_splits_in_miles_and_in_shorter_splits():
    sim = gv.simulate(gv.TRAINED, gv.Race(3300))
    miles = sim.split_times_s(METRES_PER_MILE)
    ax = plot.plot_splits({"run": sim}, units="imperial")
    _assert_line(ax, "run", miles.index.to_numpy() / METRES_PER_MILE,
                 miles.to_numpy() * METRES_PER_MILE / np.diff(np.r_[0.0, miles.index]))
    assert _line(ax, "run").get_ydata()[0] == pytest.approx(miles.iloc[0])  # a full mile
    assert ax.get_xlabel() == "split end [mile]"
    _assert_pace_axis(ax, per="mile")
    half = sim.split_times_s(500.0)
    y = _line(plot.plot_splits({"run": sim}, every_m=500.0), "run").get_ydata()
    np.testing.assert_allclose(y[:6], 2.0 * half.to_numpy()[:6])   # per km: twice 500 m


def test_plot_splits_scales_a_partial_last_split_to_a_full_one():
    sim = gv.simulate(gv.TRAINED, gv.Race(2500))
    ax = plot.plot_splits({"2.5 km": sim})
    splits = sim.split_times_s(1000.0)
    y = _line(ax, "2.5 km").get_ydata()
    np.testing.assert_allclose(y[:2], splits.to_numpy()[:2])
    np.testing.assert_allclose(y[2], splits.to_numpy()[2] * 2.0)  # the last 500 m, per km


def test_plot_compare_overlays_one_column(race, deceived):
    fig, given = plt.subplots()
    sims = {"truthful": race, "deceived": deceived}
    ax = plot.plot_compare(sims, "core_temp_c", ax=given, x="time")
    assert ax is given
    for name, sim in sims.items():
        _assert_line(ax, name, sim.trace.index.to_numpy() / 60.0,
                     sim.trace["core_temp_c"].to_numpy())
    assert ax.get_ylabel() == "core temperature [°C]"
    assert ax.get_xlabel() == "time [min]"
    assert plot.speed_axis_of(ax) is None
    with pytest.raises(KeyError, match="no_such_column"):
        plot.plot_compare(sims, "no_such_column")


def test_plot_compare_draws_a_speed_column_as_pace(race, deceived):
    sims = {"truthful": race, "deceived": deceived}
    ax = plot.plot_compare(sims, "speed_mps")
    for name, sim in sims.items():
        _assert_line(ax, name, sim.trace["distance_m"].to_numpy() / 1000.0,
                     _per_km(sim.trace["speed_mps"]))
    _assert_pace_axis(ax)
    ax = plot.plot_compare(sims, "critical_speed_eff_mps", units="imperial", x="time")
    assert ax.get_ylabel() == "effective critical pace [min/mile]"
    _assert_line(ax, "truthful", race.trace.index.to_numpy() / 60.0,
                 _per_km(race.trace["critical_speed_eff_mps"], METRES_PER_MILE))


def test_format_duration():
    assert plot.format_duration(205.4) == "3:25"
    assert plot.format_duration(7299.6) == "2:01:40"
