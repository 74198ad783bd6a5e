"""Feedback channels are declared once (``governor.scenario.CHANNELS``): the checks of
``Feedback``, the compiled core's columns, the protocols a channel is accepted for, the
command-line flags, the studies' deceptions and the documentation all come from the
declarations."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

import governor as gv
from governor import cli, model, studies
from governor._docs import regenerate
from governor.scenario import CHANNEL, CHANNELS, FEEDBACK_FIELDS

ROOT = Path(__file__).resolve().parents[1]
PROTOCOLS = (gv.Race(3000.0), gv.TimeTrial(600.0), gv.TimeToExhaustion(5.0),
             gv.FixedRPE(6.0, duration_s=600.0), gv.Training.steady(600.0, target_rpe=4.0))

#: A value away from the truth for each channel, inside its bounds.
DECEPTION = {"distance_scale": 1.05, "believed_distance_m": 3300.0,
             "believed_duration_s": 700.0, "endpoint_known": False, "clock_rate": 1.1,
             "distance_display": False,
             "told_temperature_c": 12.0, "core_temp_offset_c": -0.3, "pacer_factor": 1.02,
             "km_markers_m": (950.0, 2100.0)}


def test_every_channel_is_a_feedback_field_with_its_truth_as_default():
    truth = gv.Feedback()
    assert set(DECEPTION) == set(CHANNEL)
    for ch in CHANNELS:
        assert getattr(truth, ch.name) == ch.truth
        assert not ch.is_truth(DECEPTION[ch.name])


@pytest.mark.parametrize("name", [c.name for c in CHANNELS if c.form in ("number", "optional")])
def test_feedback_refuses_values_outside_the_declared_bounds(name):
    ch = CHANNEL[name]
    for bad in (ch.low - 1e-6 * max(abs(ch.low), 1.0), ch.high * 1.001 + 1e-6, math.nan):
        with pytest.raises(ValueError, match=name):
            gv.Feedback(**{name: bad})
        if ch.changeable:
            with pytest.raises(ValueError, match=name):
                gv.Feedback(changes=((60.0, {name: bad}),))


def test_a_channel_set_at_the_start_cannot_change_mid_effort():
    fixed = [c.name for c in CHANNELS if not c.changeable]
    assert fixed == ["pacer_factor", "km_markers_m"]
    with pytest.raises(ValueError, match="cannot change pacer_factor"):
        gv.Feedback(changes=((60.0, {"pacer_factor": 1.02}),))


@pytest.mark.parametrize("name", list(DECEPTION))
def test_a_channel_is_accepted_for_exactly_the_protocols_it_declares(name):
    ch = CHANNEL[name]
    feedback = gv.Feedback(**{name: DECEPTION[name]})
    for protocol in PROTOCOLS:
        if ch.applies_to(protocol):
            feedback.check_protocol(protocol)
        else:
            with pytest.raises(ValueError, match=f"Feedback.{name} applies to a"):
                gv.simulate(gv.TRAINED, protocol, feedback=feedback)


def test_the_compiled_columns_follow_the_declarations():
    """Each column holds its own channel's value, whatever the order of the declarations."""
    feedback = gv.Feedback(**{k: v for k, v in DECEPTION.items() if k != "pacer_factor"})
    inputs = model.pack(gv.TRAINED, gv.Race(3000.0), gv.Course(), gv.Environment(), feedback,
                        gv.Modifiers(), None)
    row = inputs.fb_v[0]
    assert FEEDBACK_FIELDS == tuple(c.name for c in CHANNELS if c.form != "positions")
    for name in FEEDBACK_FIELDS:
        want = DECEPTION.get(name) if name != "pacer_factor" else None
        got = row[FEEDBACK_FIELDS.index(name)]
        assert (math.isnan(got) if want is None else got == float(want)), name
    columns = {"distance_scale": model.FB_SCALE, "believed_distance_m": model.FB_BDIST,
               "believed_duration_s": model.FB_BDUR, "endpoint_known": model.FB_KNOWN,
               "clock_rate": model.FB_CLOCK, "told_temperature_c": model.FB_TOLD,
               "core_temp_offset_c": model.FB_OFFSET}
    for name, column in columns.items():
        assert FEEDBACK_FIELDS[column] == name


def test_every_declared_flag_is_an_option_of_governor_simulate():
    parser = cli.build_parser()
    help_text = parser._subparsers._group_actions[0].choices["simulate"].format_help()
    for ch in CHANNELS:
        if ch.flag:
            assert ch.flag in help_text, ch.flag
    args = parser.parse_args(["simulate", "--time-trial", "600", "--believed-duration", "700",
                              "--clock-rate", "1.1", "--core-temp-offset", "-0.3"])
    assert cli._feedback_from(args) == gv.Feedback(believed_duration_s=700.0, clock_rate=1.1,
                                                   core_temp_offset_c=-0.3)
    args = parser.parse_args(["simulate", "--race", "3000", "--unknown-endpoint"])
    assert cli._feedback_from(args) == gv.Feedback(endpoint_known=False)


def test_the_studies_offer_every_declared_sweep_and_apply_it_to_its_channel():
    swept = [c for c in CHANNELS if c.sweep is not None]
    assert set(studies.CHANNELS) == {c.sweep.name for c in swept} | {"afferent_gain"}
    for ch in swept:
        protocol = gv.TimeTrial(1800.0) if ch.sweep.timed else gv.Race(10000.0)
        feedback, modifiers = studies.deception_scenario(ch.sweep.name, ch.sweep.default,
                                                         protocol, true_air_c=30.0)
        assert modifiers is None
        assert not ch.is_truth(getattr(feedback, ch.name)), ch.name
        truthful, _ = studies.deception_scenario(ch.sweep.name, ch.sweep.truth, protocol,
                                                 true_air_c=30.0)
        # the sweep's truthful size tells the truth: the true air, the true length, a pacer
        # that runs at the runner's best, or the channel's own truth
        truth = {"told_temperature_c": 30.0, "believed_distance_m": 10000.0,
                 "believed_duration_s": 1800.0, "pacer_factor": 1.0}.get(ch.name, ch.truth)
        assert getattr(truthful, ch.name) == truth, ch.name


def test_the_documentation_tables_are_generated_from_the_code():
    text = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")
    assert regenerate(text) == text, "run: python -m governor._docs docs/model.md"
    for ch in CHANNELS:
        assert f"| `{ch.name}` |" in text
    for name in gv.Params.names():
        assert f"| `{name}` |" in text


def test_the_project_cites_only_what_its_users_have():
    """Docstrings, documentation and notebooks cite the project's own documents, not
    design notes users do not have."""
    for folder, pattern in (("governor", "*.py"), ("docs", "*.md"), ("notebooks", "*.ipynb"),
                            ("benchmarks", "*.py"), ("tests", "*.py")):
        for path in (ROOT / folder).rglob(pattern):
            text = path.read_text(encoding="utf-8")
            for marker in ("DESIGN §", "DESIGN.md", "literature/targets", "mechanisms.md"):
                if path.name == "test_channels.py" and folder == "tests":
                    continue
                assert marker not in text, f"{path.relative_to(ROOT)} cites {marker}"
    for doc in ("model.md", "targets.md"):
        assert (ROOT / "docs" / doc).is_file()


# -- km markers ------------------------------------------------------------------------------
def test_passing_a_misplaced_km_marker_resets_the_believed_distance_to_its_label():
    """Markers 50 m short for 5 km, then 50 m long: passing marker k at true x_k, the runner
    believes 1000 k m are done, and between markers adds the distance run since."""
    markers = tuple(float(x) for x in np.cumsum([950.0] * 5 + [1050.0] * 5))
    sim = gv.simulate(gv.TRAINED, gv.Race(10000.0), feedback=gv.Feedback(km_markers_m=markers))
    s = sim.column("distance_m")
    remaining = sim.column("believed_remaining_distance_m")
    for k, x in enumerate(markers[:-1], start=1):
        after = np.flatnonzero((s >= x) & (s < x + 200.0))
        assert after.size
        believed_done = 1000.0 * k + (s[after] - x)
        np.testing.assert_allclose(remaining[after], 10000.0 - believed_done, rtol=1e-12)
    before = np.flatnonzero(s < markers[0])
    np.testing.assert_allclose(remaining[before], 10000.0 - s[before], rtol=1e-12)
    # ahead of the truth by 50 m after the first marker, by 250 m after the fifth
    i = np.flatnonzero(s >= markers[4])[0]
    assert (10000.0 - s[i]) - remaining[i] == pytest.approx(250.0, abs=1e-6)


def test_km_markers_that_cancel_change_a_race_little_and_truthful_markers_nothing():
    truth = gv.simulate(gv.TRAINED, gv.Race(10000.0))
    exact = gv.simulate(gv.TRAINED, gv.Race(10000.0),
                        feedback=gv.Feedback(km_markers_m=tuple(1000.0 * np.arange(1, 11))))
    assert exact.finish_time_s == pytest.approx(truth.finish_time_s, rel=1e-9)
    markers = tuple(float(x) for x in np.cumsum([950.0] * 5 + [1050.0] * 5))
    misplaced = gv.simulate(gv.TRAINED, gv.Race(10000.0),
                            feedback=gv.Feedback(km_markers_m=markers))
    assert abs(misplaced.finish_time_s / truth.finish_time_s - 1.0) < 0.01


def test_km_markers_are_checked_against_their_declaration():
    with pytest.raises(ValueError, match="km_markers_m must strictly increase"):
        gv.Feedback(km_markers_m=(1000.0, 900.0))
    with pytest.raises(ValueError, match="km_markers_m"):
        gv.Feedback(km_markers_m=(0.0, 1000.0))
    with pytest.raises(ValueError, match="Feedback.km_markers_m applies to a Race only"):
        gv.simulate(gv.TRAINED, gv.TimeTrial(600.0),
                    feedback=gv.Feedback(km_markers_m=(1000.0,)))
    parser = cli.build_parser()
    args = parser.parse_args(["simulate", "--race", "3000", "--km-markers", "950", "2000"])
    assert cli._feedback_from(args) == gv.Feedback(km_markers_m=(950.0, 2000.0))
