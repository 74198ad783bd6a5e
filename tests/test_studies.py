"""governor.studies: the table of targets, verdicts that a wrong model fails, truth against
deception, and the study figures (governor.plot)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

import governor as gv  # noqa: E402
from governor import plot, studies  # noqa: E402

TRAINED = gv.TRAINED


@pytest.fixture(scope="module")
def results():
    return studies.reproduce_all()


# ---- the table ---------------------------------------------------------------------------
def test_table_has_every_target_with_published_simulated_tolerance_and_verdict(results):
    table = studies.table(results)
    assert list(table.columns) == ["id", "study", "published", "simulated", "tolerance",
                                   "pass", "citation"]
    assert table["id"].tolist() == ["T1", "T2", "T3", "T4", "T5", "T6", "T7a", "T7b", "T7c",
                                    "T8", "T9", "T10", "T11", "T12", "T13"]
    for column in ("study", "published", "simulated", "tolerance", "citation"):
        assert table[column].str.len().min() > 5, column
    assert table["pass"].map(type).eq(bool).all()
    assert studies.table(results, expand=False)["id"].tolist()[-7:] == [
        "T7", "T8", "T9", "T10", "T11", "T12", "T13"]


def test_T1_to_T6_pass_with_the_default_runners(results):
    for r in results[:6]:
        assert r.passed, r
        assert r.checks and all(isinstance(v, bool) for v in r.checks.values())


def test_published_figures_carry_their_numbers(results):
    by_id = {r.id: r for r in results}
    assert by_id["T1"].published_values["hot_km"] == 15.88
    assert by_id["T1"].published_values["heat_loss"] == pytest.approx(0.045, abs=0.001)
    assert by_id["T6"].published_values["blind_first_s"] == 409.0
    assert "Eur J Appl Physiol" in by_id["T1"].citation
    assert by_id["T7"].parts[0].published_values["finish_time_s"] == 7299.0


def test_passed_follows_the_checks():
    r = studies.StudyResult("T0", "x", "c", "p", "pub", "sim", "tol",
                            checks={"a": True, "b": np.False_}, values={"v": np.float64(1)},
                            published_values={})
    assert r.passed is False and r.checks["b"] is False
    assert type(r.values["v"]) is float


# ---- a wrong model fails -------------------------------------------------------------------
WRONG = {
    "T1 heat costs nothing": lambda: studies.castle_2012(TRAINED.replace(
        heat_cs_loss_per_c=0.0, rpe_core_weight=0.0, rpe_skin_weight=0.0,
        core_temp_limit_c=41.5)),
    "T2 no reserve held": lambda: studies.stone_2012(TRAINED.replace(reserve_margin=0.0)),
    "T3 template ends at 7": lambda: studies.joseph_2008(TRAINED.replace(template_end_rpe=7.0)),
    "T4 sluggish start": lambda: studies.tucker_2006(
        (TRAINED.replace(recruitment_tau_s=30.0),), (5000.0,)),
    "T5 heat costs nothing": lambda: studies.ely_2007(gv.ELITE.replace(heat_cs_loss_per_c=0.0)),
    "T6 no hedge for the unknown": lambda: studies.mauger_2009(
        TRAINED.replace(unknown_endpoint_hedge=0.0)),
    "T6 learns too slowly": lambda: studies.mauger_2009(
        TRAINED.replace(experience_trials=10.0)),
}


@pytest.mark.parametrize("case", list(WRONG))
def test_a_wrong_model_fails_its_study(case):
    r = WRONG[case]()
    assert not r.passed
    assert not all(r.checks.values())


# ---- truth vs deception --------------------------------------------------------------------
@pytest.mark.parametrize("channel", [c for c in studies.CHANNELS if c != "pacer_factor"])
def test_the_truth_costs_nothing(channel):
    d = studies.truth_vs_deception(channel, studies.CHANNELS[channel].truth)
    assert np.allclose(d.cost["difference"], 0.0, atol=1e-9)


def test_a_cooler_story_on_a_hot_day_is_faster_and_hotter():
    """Castle's deception in a 10 km race: faster, and nearer the core limit."""
    d = studies.truth_vs_deception("told_temperature", -5.6)
    assert d.deceived.feedback.told_temperature_c == pytest.approx(26.0)
    assert d.truth.environment == d.deceived.environment == gv.Environment(31.6, 0.4)
    c = d.cost
    assert c.loc["finish_time_s", "difference"] < 0
    assert c.loc["peak_core_temp_c", "difference"] > 0
    assert 0 < c.loc["core_limit_margin_c", "deceived"] < c.loc["core_limit_margin_c", "truth"]
    assert d.core_temp_limit_c == TRAINED.core_temp_limit_c
    assert c.loc["core_limit_margin_c", "truth"] == pytest.approx(
        TRAINED.core_temp_limit_c - d.truth.trace["core_temp_c"].max())
    assert "°C below the 40.0 °C limit" in d.verdict()


def test_blocked_afferents_spend_the_reserve():
    d = studies.truth_vs_deception("afferent_gain", 0.6)
    assert d.deceived.modifiers.afferent_gain == 0.6 and d.truth.modifiers.afferent_gain == 1.0
    assert d.cost.loc["lowest_reserve_m", "deceived"] < d.cost.loc["lowest_reserve_m", "truth"]


def test_channel_defaults_choose_the_protocol():
    assert isinstance(studies.truth_vs_deception("clock_rate").truth.protocol, gv.TimeTrial)
    d = studies.truth_vs_deception("believed_distance", 1.2)
    assert d.deceived.feedback.believed_distance_m == 12000.0
    assert d.truth.protocol == gv.Race(10000.0)
    blind = studies.truth_vs_deception("unknown_endpoint")
    assert blind.truth.modifiers.experience == 0.0  # a first exposure
    assert blind.cost.loc["finish_time_s", "difference"] > 0


def test_bad_channels_are_refused():
    with pytest.raises(ValueError, match="unknown channel"):
        studies.truth_vs_deception("gravity", 2.0)
    with pytest.raises(ValueError, match="TimeTrial"):
        studies.truth_vs_deception("believed_duration", 1.2, protocol=gv.Race(5000.0))


# ---- figures -------------------------------------------------------------------------------
def _labels(ax):
    return [line.get_label() for line in ax.get_lines()]


def test_every_study_has_a_figure(results):
    for r in results:
        axes = np.atleast_1d(plot.plot_study(r))
        for ax in axes:
            assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
            assert ax.get_legend() is not None
    assert len(plot.plot_study({r.id: r for r in results}["T7"])) == 3


def test_castle_bars_are_percent_of_control(results):
    ax = plot.plot_castle(results[0])
    published, simulated = ax.containers
    assert published.get_label() == "published" and simulated.get_label() == "simulated"
    v = results[0].values
    assert [b.get_height() for b in simulated] == pytest.approx(
        [100.0, 100 * v["hot_m"] / v["control_m"], 100 * v["deceived_m"] / v["control_m"]])


def test_false_feedback_summary_has_four_panels(results):
    axes = plot.plot_false_feedback(results)
    assert len(axes) == 4
    assert [a.get_title()[:2] for a in axes] == ["T1", "T2", "T3", "T6"]
    with pytest.raises(ValueError, match="T2"):
        plot.plot_false_feedback([results[0]])


def test_truth_vs_deception_figure():
    d = studies.truth_vs_deception("core_temp_offset", -0.3)
    ax_v, ax_d, ax_t = plot.plot_truth_vs_deception(d)
    assert _labels(ax_v) == ["truth", "deceived"]
    assert "deceived: core shown" in _labels(ax_t)
    limit = [ln for ln in ax_t.get_lines() if ln.get_label().startswith("core limit")]
    assert limit[0].get_ydata()[0] == TRAINED.core_temp_limit_c
    assert ax_t.get_xlabel() == "distance [km]"
    tt = studies.truth_vs_deception("clock_rate", 1.1)
    assert plot.plot_truth_vs_deception(tt)[2].get_xlabel() == "time [min]"


# ---- T10 ---------------------------------------------------------------------------------
def test_T10_misplaced_km_markers_that_cancel_change_nothing(results):
    t10 = {r.id: r for r in results}["T10"]
    assert t10.passed, t10
    assert t10.values["max_time_change"] < 0.01 and t10.values["max_rpe_change"] < 0.5
    short, long_ = studies.albertus_markers("short first"), studies.albertus_markers("long first")
    assert short[0] == 775.0 and long_[0] == 1225.0
    assert short[-1] == long_[-1] == 19000.0 == studies.albertus_markers("random")[-1]


def test_T10_fails_for_markers_that_do_not_cancel():
    """Markers every 800 m that say "k km" (the runner believes 19 km done at 15.2 km) are a
    deception the model does respond to: perceived exertion runs high over the second half,
    past the tolerance, so the check is not one that any model passes."""
    truth = gv.simulate(TRAINED, gv.Race(20000.0),
                        feedback=gv.Feedback(km_markers_m=studies.albertus_markers("accurate")))
    fooled = gv.simulate(TRAINED, gv.Race(20000.0), feedback=gv.Feedback(
        km_markers_m=tuple(800.0 * k for k in range(1, 20))))
    rpe = [[float(np.interp(q * 20000, s.trace["distance_m"], s.trace["rpe"]))
            for q in (0.25, 0.5, 0.75, 1.0)] for s in (truth, fooled)]
    assert max(abs(a - b) for a, b in zip(*rpe, strict=True)) > 0.5


# ---- T8 ----------------------------------------------------------------------------------
def test_T8_time_to_exhaustion_ends_by_decision_and_runners_differ_as_published(results):
    t8 = {r.id: r for r in results}["T8"]
    assert t8.checks["8-14 min"]
    assert t8.checks["ended by decision, ceiling above the demand"]
    assert t8.checks["RPE at isotime correlates negatively"]
    assert t8.values["governor_off_s"] > t8.values["time_to_exhaustion_s"]


@pytest.mark.xfail(reason="the governor holds only its race safety reserve in an open-ended "
                          "effort: about 11 % of the fresh margin is left at the stop, where "
                          "Marcora & Staiano measured 59 %", strict=True)
def test_T8_margin_left_at_exhaustion_is_as_published(results):
    t8 = {r.id: r for r in results}["T8"]
    assert t8.checks["20-80 % of the fresh margin left"]


# ---- T9 ----------------------------------------------------------------------------------
def test_T9_blind_is_slower_and_a_fast_display_changes_little(results):
    t9 = {r.id: r for r in results}["T9"]
    v = t9.values
    # feedback after a blind trial is faster, and faster in the last quarter than in the
    # first: the end the blind runner cannot see is where the reserve was not released
    assert v["feedback_gain"] > 0.0
    sims = t9.simulations
    gain = (studies.quarter_times_s(sims["blind (trial 2)"])
            - studies.quarter_times_s(sims["full feedback (trial 3)"]))
    assert gain[-1] > gain[0] > 0.0
    assert t9.checks["+5 % display: time within 1.5 %"]
    # the blind runner ends with reserve unspent; with feedback it is spent at the line
    assert (sims["blind (trial 2)"].trace["reserve_m"].iloc[-1]
            > 2.0 * sims["full feedback (trial 3)"].trace["reserve_m"].iloc[-1])


def test_quarter_times_add_up_to_the_finish():
    sim = gv.simulate(TRAINED, gv.Race(5000.0))
    q = studies.quarter_times_s(sim)
    assert q.sum() == pytest.approx(sim.finish_time_s, abs=1e-6)
    assert q.size == 4


@pytest.mark.xfail(reason="unseen progress costs only the reserve the blind runner cannot "
                          "release at the end (~10 s over 20 km, -0.6 %), where the cyclists "
                          "lost 2.4 %, mostly in km 16-20; and the runner shown a speed 5 % "
                          "high starts slower than with the truth, not faster", strict=True)
def test_T9_feedback_gain_and_fast_display_start_as_published(results):
    t9 = {r.id: r for r in results}["T9"]
    assert t9.checks["full after blind 1-5 % faster"]
    assert t9.checks["most of the gain in the last quarter"]
    assert t9.checks["+5 % display: first quarter faster"]


# ---- T13 ---------------------------------------------------------------------------------
def test_T13_radiant_load_warms_the_skin_as_published_and_slows(results):
    t13 = {r.id: r for r in results}["T13"]
    assert t13.values["skin_rise_c"] == pytest.approx(3.9, abs=0.1)
    assert t13.values["time_cost"] > 0.0
    # a load that warms the skin by ~4 degC is a heat lamp's, beyond the clear-sky sun
    assert t13.values["irradiance_w_m2"] > 1000.0


def test_T13_radiant_load_costs_under_five_percent(results):
    t13 = {r.id: r for r in results}["T13"]
    assert t13.checks["under 5 % slower"]
    # the skin takes the load: the core barely moves, as Levels et al. found
    assert t13.values["core_peak_change_c"] < 0.5


# ---- T11 ---------------------------------------------------------------------------------
def test_T11_hot_air_costs_the_short_trial_as_published_with_a_spurt(results):
    t11 = {r.id: r for r in results}["T11"]
    assert t11.checks["8-25 % less in the heat"]
    assert t11.checks["end spurt in both"]
    assert t11.values["skin_gap_c"] > 0.0
    sims = t11.simulations
    assert sims["hot (40 °C)"].distance_m < sims["temperate (21 °C)"].distance_m


@pytest.mark.xfail(reason="the model's cost of hot air comes through its core: the "
                          "governor holds the hot trial at its core limit (39.6 degC, where "
                          "the cyclists peaked at 38.2) and the skin is only ~2 degC warmer "
                          "(5 in the study); hot skin's own cost, the blood flow it claims "
                          "from the muscles (Sawka et al. 2012), is not in the model",
                   strict=True)
def test_T11_heat_costs_through_the_skin_with_the_core_alike(results):
    t11 = {r.id: r for r in results}["T11"]
    assert t11.checks["peak cores within 0.5 °C"]
    assert t11.checks["skin ≥ 3 °C warmer in the heat"]


# ---- T12 ---------------------------------------------------------------------------------
def test_T12_unacclimatised_heat_costs_as_published_and_training_gives_some_back(results):
    t12 = {r.id: r for r in results}["T12"]
    assert t12.checks["unacclimatised 8-25 % slower"]
    assert t12.checks["acclimatisation helps"]


@pytest.mark.xfail(reason="after 13 days of heat training the model is still ~6 % short of "
                          "the cool trial and ~12 % slower from the start: its heat plan "
                          "holds the core under 39.6 degC from the first minutes, where the "
                          "cyclists started at their cool power and finished at 40.2 degC",
                   strict=True)
def test_T12_acclimatised_matches_cool_and_starts_alike(results):
    t12 = {r.id: r for r in results}["T12"]
    assert t12.checks["acclimatised within 4 % of cool"]
    assert t12.checks["first 20 % within 3 % of cool"]
