"""Perception and the governor's pure functions, against hand-computed values."""

import math

import numpy as np
import pytest

from governor import brain
from governor.perception import afferent_drive_cr10, cr10_to_borg20, rpe_rate_per_s


def test_afferent_drive_by_hand():
    p = afferent_drive_cr10(1.1, 0.5, 38.5, 34.0, 4.0, 5.0, 0.6, 0.4, 1.0, 0.0)
    assert p == pytest.approx(4.4 + 2.5 + 0.6 + 0.4)


def test_afferent_gain_scales_only_physiology_and_is_clipped():
    full = afferent_drive_cr10(1.0, 0.2, 37.0, 33.0, 4.0, 5.0, 0.6, 0.4, 1.0, 1.5)
    blocked = afferent_drive_cr10(1.0, 0.2, 37.0, 33.0, 4.0, 5.0, 0.6, 0.4, 0.5, 1.5)
    assert full == pytest.approx(5.0 + 1.5)
    assert blocked == pytest.approx(2.5 + 1.5)
    assert afferent_drive_cr10(3.0, 1.0, 41.0, 38.0, 4.0, 5.0, 0.6, 0.4, 1.0, 0.0) == 10.0


def test_rpe_relaxes_and_scale_conversion():
    assert rpe_rate_per_s(2.0, 6.0, 20.0) == pytest.approx(0.2)
    assert cr10_to_borg20(0.0) == 6.0 and cr10_to_borg20(10.0) == 20.0


def test_naivety_decays_with_experience():
    assert brain.naivety(0.0, 1.0) == 1.0
    assert brain.naivety(3.0, 1.0) == pytest.approx(math.exp(-3.0))


def test_believed_reserve_under_blockade_overestimates():
    assert brain.believed_reserve_m(100.0, 200.0, 200.0, 1.0) == pytest.approx(100.0)
    assert brain.believed_reserve_m(100.0, 200.0, 200.0, 0.5) == pytest.approx(150.0)


def test_safety_reserve_released_over_spurt_horizon():
    assert brain.safety_reserve_m(0.25, 200.0, 600.0, 60.0) == pytest.approx(50.0)
    assert brain.safety_reserve_m(0.25, 200.0, 30.0, 60.0) == pytest.approx(25.0)
    assert brain.safety_reserve_m(0.25, 200.0, 0.0, 60.0) == 0.0


def test_reserve_feasible_speed_spends_exactly_the_spendable_reserve():
    cs, d, safe, s = 5.0, 200.0, 50.0, 3000.0
    e = brain.reserve_feasible_speed_distance(cs, d, safe, s)
    spent = (e - cs) * s / e
    assert spent == pytest.approx(d - safe)
    assert brain.reserve_feasible_speed_distance(cs, 200.0, 0.0, 150.0) == math.inf
    assert brain.reserve_feasible_speed_time(cs, d, safe, 300.0) == pytest.approx(5.5)


THERMAL_ARGS = dict(core_shown_c=38.0, limit_c=40.0, margin_c=0.3, remaining_s=1200.0,
                    tau_s=700.0, told_air_c=30.0, air_vapour_kpa=1.3, air_speed_mps=5.0,
                    skin_c=34.0, conductance_w_k=200.0, area_m2=1.8, sweat_gain_w_m2_k=120.0,
                    mass_kg=70.0, flat_cost_j_kg_m=3.6, resting_w_kg=1.2)


def _end_forecast(args, e):
    from governor.physiology.thermal import end_forecast_core_temp_c, steady_core_temp_c

    heat = args["mass_kg"] * (args["flat_cost_j_kg_m"] * e + args["resting_w_kg"])
    steady = steady_core_temp_c(heat, args["told_air_c"], args["air_speed_mps"],
                                args["skin_c"], args["conductance_w_k"], args["area_m2"],
                                args["sweat_gain_w_m2_k"], args["air_vapour_kpa"])
    return end_forecast_core_temp_c(args["core_shown_c"], steady, args["remaining_s"],
                                    args["tau_s"])


def test_thermal_feasible_speed_hits_its_target():
    """At the returned speed the end forecast equals the limit minus the margin."""
    e = brain.thermal_feasible_speed(*THERMAL_ARGS.values())
    assert _end_forecast(THERMAL_ARGS, e) == pytest.approx(39.7)
    cooler = dict(THERMAL_ARGS, told_air_c=20.0)
    assert brain.thermal_feasible_speed(*cooler.values()) > e
    assert brain.thermal_feasible_speed(*dict(THERMAL_ARGS, remaining_s=0.0).values()) == math.inf


@pytest.mark.parametrize("air_c, rh", [(20.0, 0.5), (30.0, 0.3), (30.0, 0.9), (35.0, 0.5),
                                       (35.0, 0.8), (40.0, 0.6)])
def test_thermal_feasible_speed_inverts_the_humidity_limited_forecast(air_c, rh):
    """The inversion is exact through every piece of the balance (sweat, humidity limit):
    at the returned speed the forecast ends on the target."""
    from governor.physiology.thermal import saturation_vapour_pressure_kpa

    args = dict(THERMAL_ARGS, told_air_c=air_c,
                air_vapour_kpa=rh * saturation_vapour_pressure_kpa(air_c),
                skin_c=min(33.0 + 0.2 * (air_c - 20.0), 35.5), remaining_s=1800.0,
                tau_s=1200.0, core_shown_c=37.5)
    e = brain.thermal_feasible_speed(*args.values())
    assert 0.0 < e < math.inf
    assert _end_forecast(args, e) == pytest.approx(39.7, abs=1e-6)


def test_humidity_felt_lowers_the_thermal_feasible_speed():
    """The same told air temperature, more vapour in the air: less sweat evaporates, and the
    governor, sensing it on the skin, allows less. A humidity-blind forecast would not
    move. Being told it is cooler still raises the allowed speed in humid air (the
    deception acts on the dry heat exchange)."""
    from governor.physiology.thermal import saturation_vapour_pressure_kpa

    p_sat = saturation_vapour_pressure_kpa(32.0)
    base = dict(THERMAL_ARGS, told_air_c=32.0, skin_c=35.0)
    speeds = [brain.thermal_feasible_speed(*dict(base, air_vapour_kpa=rh * p_sat).values())
              for rh in (0.2, 0.5, 0.7, 0.9, 1.0)]
    assert all(np.diff(speeds) <= 1e-12)
    assert speeds[-1] < 0.9 * speeds[0]
    humid = dict(base, air_vapour_kpa=0.9 * p_sat)
    told_cooler = dict(humid, told_air_c=26.0)
    assert (brain.thermal_feasible_speed(*told_cooler.values())
            > brain.thermal_feasible_speed(*humid.values()))


def test_template_rises_linearly_to_the_end():
    start = brain.template_rpe(0.0, 3600.0, 4.0, 10.0)
    assert start == pytest.approx(4.0)
    assert brain.template_rpe(0.5, 3600.0, 4.0, 10.0) == pytest.approx(7.0)
    assert brain.template_rpe(1.0, 3600.0, 4.0, 10.0) == pytest.approx(10.0)
    assert brain.template_rpe(0.0, 600.0, 4.0, 10.0) > start > brain.template_rpe(0.0, 14400, 4, 10)


def test_perceptual_speed_corrects_toward_the_template():
    assert brain.perceptual_speed(5.0, 5.0, 6.0, 7.0, 0.01, 1.0) == pytest.approx(4.95)
    assert brain.perceptual_speed(5.0, 5.0, 6.0, 5.0, 0.01, 1.0) == pytest.approx(5.05)
    assert brain.perceptual_speed(0.0, 5.0, 6.0, 1.0, 0.01, 2.0) == pytest.approx(0.5)


def test_hazard_score():
    assert brain.hazard_score(6.0, 0.25) == pytest.approx(1.5)
    assert brain.hazard_score(6.0, 1.5) == pytest.approx(6.0)
