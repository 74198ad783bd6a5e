"""governor.plot: each figure draws the trace columns it names, on the Axes it returns."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import governor as gv  # noqa: E402
from governor import plot  # noqa: E402


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
    for i, label, column in expected:
        _assert_line(axes[i], label, km, tr[column].to_numpy())
    # the core limit is a horizontal reference at the runner's limit
    limit = _line(axes[3], "core limit")
    assert np.all(np.asarray(limit.get_ydata()) == race.params.core_temp_limit_c)
    # one shared x-axis, labelled with its unit; every panel says what unit it reads
    assert all(ax.get_shared_x_axes().joined(axes[0], ax) for ax in axes)
    assert axes[-1].get_xlabel() == "distance [km]"
    for ax in axes:
        assert "[" in ax.get_ylabel() and "]" in ax.get_ylabel()
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
                 race.trace["speed_mps"].to_numpy())
    assert ax.get_ylabel() == "speed [m/s]"
    same = plot.plot_speed(deceived, ax=ax, label="deceived", x="distance")
    assert same is ax
    _assert_line(ax, "deceived", deceived.trace["distance_m"].to_numpy() / 1000.0,
                 deceived.trace["speed_mps"].to_numpy())
    assert len(ax.child_axes) == 1  # one pace axis, not one per line


def test_plot_splits_draws_split_times(race, deceived):
    sims = {"truthful": race, "deceived": deceived}
    ax = plot.plot_splits(sims)
    for name, sim in sims.items():
        splits = sim.split_times_s(1000.0)
        _assert_line(ax, name, splits.index.to_numpy() / 1000.0, splits.to_numpy())
    assert [t.get_text() for t in ax.get_legend().get_texts()] == list(sims)


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
    with pytest.raises(KeyError, match="no_such_column"):
        plot.plot_compare(sims, "no_such_column")


def test_format_duration():
    assert plot.format_duration(205.4) == "3:25"
    assert plot.format_duration(7299.6) == "2:01:40"
