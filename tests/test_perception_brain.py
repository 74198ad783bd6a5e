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


def _spend_at_constant_speed(e, cs_now, cs_end, metres=None, seconds=None, n=200_001):
    """Reserve drawn at constant metabolic speed ``e`` with CS falling linearly on the way,
    integrated numerically [m]: ``(e - CS)+ / e`` per metre, or ``(e - CS)+`` per second."""
    if metres is not None:
        x = np.linspace(0.0, metres, n)
        cs = cs_now + (cs_end - cs_now) * x / metres
        return np.trapezoid(np.maximum(e - cs, 0.0) / e, x)
    t = np.linspace(0.0, seconds, n)
    cs = cs_now + (cs_end - cs_now) * t / seconds
    return np.trapezoid(np.maximum(e - cs, 0.0), t)


@pytest.mark.parametrize("cs_now, cs_end, reserve, safe, metres", [
    (6.25, 5.45, 290.0, 72.5, 42195.0),   # a marathon: CS falls below the pace late on
    (5.0, 4.9, 200.0, 50.0, 10000.0),     # a 10 km: faster than CS all the way
    (5.0, 4.0, 20.0, 0.0, 30000.0),       # little to spend: CS crossed near the end
])
def test_falling_cs_speed_spends_exactly_the_spendable_reserve(cs_now, cs_end, reserve, safe,
                                                                metres):
    e = brain.reserve_feasible_speed_falling_cs_distance(cs_now, cs_end, reserve, safe, metres)
    assert _spend_at_constant_speed(e, cs_now, cs_end, metres=metres) == pytest.approx(
        reserve - safe, rel=1e-4)
    seconds = metres / 5.0
    e_t = brain.reserve_feasible_speed_falling_cs_time(cs_now, cs_end, reserve, safe, seconds)
    assert _spend_at_constant_speed(e_t, cs_now, cs_end, seconds=seconds) == pytest.approx(
        reserve - safe, rel=1e-4)


def test_falling_cs_speed_is_the_constant_cs_speed_without_a_fall_and_below_it_with_one():
    cs, d, safe, s = 5.0, 200.0, 50.0, 3000.0
    assert brain.reserve_feasible_speed_falling_cs_distance(cs, cs, d, safe, s) == (
        pytest.approx(brain.reserve_feasible_speed_distance(cs, d, safe, s)))
    assert brain.reserve_feasible_speed_falling_cs_time(cs, cs, d, safe, 300.0) == (
        pytest.approx(brain.reserve_feasible_speed_time(cs, d, safe, 300.0)))
    # a marathon: the speed planned with the mean CS runs below CS early, where the full
    # reserve cannot grow, so held to the line it would need several times the reserve;
    # the falling-CS speed is slower from the start and can be held
    mean = brain.reserve_feasible_speed_distance(5.85, 290.0, 72.5, 42195.0)
    falling = brain.reserve_feasible_speed_falling_cs_distance(6.25, 5.45, 290.0, 72.5,
                                                               42195.0)
    assert 5.45 < falling < mean
    assert _spend_at_constant_speed(mean, 6.25, 5.45, metres=42195.0) > 3.0 * (290.0 - 72.5)


PLAN = dict(heat_w=70.0 * (3.6 * 3.0 + 1.2), core_shown_c=38.0, skin_c=34.0,
            sweating_factor=1.0, conductance_w_k=200.0, told_air_c=30.0, radiant_w=0.0,
            air_vapour_kpa=1.3,
            planned_speed_mps=3.0, present_speed_mps=3.0, headwind_mps=0.0,
            remaining_s=1200.0, limit_c=40.0, margin_c=0.3, mass_kg=70.0, area_m2=1.8,
            sweat_gain_w_m2_k=120.0, clothing_clo=0.0)


def _plan(**changes):
    return brain.heat_plan(*dict(PLAN, **changes).values())


def _forecast_by_hand(args, e, air_speed=None):
    """(end, mean) core of the plan's forecast [degC] for metabolic speed ``e``, built here
    from the balance's pieces: conductances at the air speed of the planned pace (or
    ``air_speed``), the humidity limit linearised at the skin, the time constant of the
    evaporation expected at the planned heat."""
    from governor.physiology import thermal

    u = abs(args["planned_speed_mps"] + args["headwind_mps"])
    area, skin = args["area_m2"], args["skin_c"]
    sweat = area * args["sweat_gain_w_m2_k"] * args["sweating_factor"]

    def pieces(speed):
        h_dry, h_evap = thermal.clothed_coefficients_w_m2(
            thermal.convective_coefficient_w_m2_k(speed), args["clothing_clo"])
        p_sat, slope = thermal.skin_saturation_kpa(skin)
        cap, cap_slope = thermal.evaporative_capacity_from_saturation_w(
            p_sat, slope, args["air_vapour_kpa"], h_evap, area)
        return area * h_dry, cap, cap_slope

    def steady(heat, speed):
        dry, cap, cap_slope = pieces(speed)
        return thermal.steady_core_limited_c(heat, args["told_air_c"], args["conductance_w_k"],
                                             dry, sweat, skin, cap, cap_slope)

    planned = steady(args["heat_w"], u)
    dry_u, _, _ = pieces(u)
    sweat_eff = sweat
    if planned > thermal.steady_core_from_conductances_c(
            args["heat_w"], args["told_air_c"], args["conductance_w_k"], dry_u, sweat):
        sweat_eff = thermal.effective_sweat_conductance_w_k(
            args["heat_w"], args["told_air_c"], args["conductance_w_k"], dry_u, sweat, planned)
    tau = thermal.time_constant_from_conductances_s(args["mass_kg"], dry_u, sweat_eff)
    heat_e = args["mass_kg"] * (3.6 * e + 1.2)
    at_e = steady(heat_e, u if air_speed is None else air_speed)
    end = thermal.end_forecast_core_temp_c(args["core_shown_c"], at_e, args["remaining_s"], tau)
    mean = thermal.mean_forecast_core_temp_c(args["core_shown_c"], planned,
                                             args["remaining_s"], tau)
    return end, mean


def test_heat_plan_hits_its_target_and_forecasts_the_mean():
    """At the returned speed the end forecast equals the limit minus the margin, and the
    mean is that of the first-order approach to the planned steady state."""
    mean, e = _plan()
    assert e > PLAN["planned_speed_mps"]  # no re-evaluation at a slower pace
    end, mean_by_hand = _forecast_by_hand(PLAN, e)
    assert end == pytest.approx(39.7, abs=1e-9)
    assert mean == pytest.approx(mean_by_hand, rel=1e-12)
    assert _plan(told_air_c=20.0)[1] > e
    assert _plan(remaining_s=0.0)[1] == math.inf


@pytest.mark.parametrize("air_c, rh", [(20.0, 0.5), (30.0, 0.3), (30.0, 0.9), (35.0, 0.5),
                                       (35.0, 0.8), (40.0, 0.6)])
def test_heat_plan_inverts_the_humidity_limited_forecast(air_c, rh):
    """The inversion is exact through every piece of the balance (sweat, humidity limit):
    at the returned speed the forecast ends on the target."""
    from governor.physiology.thermal import saturation_vapour_pressure_kpa

    args = dict(PLAN, told_air_c=air_c, air_vapour_kpa=rh * saturation_vapour_pressure_kpa(air_c),
                skin_c=min(33.0 + 0.2 * (air_c - 20.0), 35.5), remaining_s=1800.0,
                core_shown_c=37.5, planned_speed_mps=1.0, present_speed_mps=1.0,
                heat_w=70.0 * (3.6 * 1.0 + 1.2))
    args["sweating_factor"] = math.exp((args["skin_c"] - 34.0) / 10.7)
    _, e = brain.heat_plan(*args.values())
    assert args["planned_speed_mps"] < e < math.inf
    assert _forecast_by_hand(args, e)[0] == pytest.approx(39.7, abs=1e-6)


def test_heat_plan_slower_than_planned_re_evaluates_at_the_slower_air_speed():
    """Planned at 5 m/s in humid heat, the plan allows less than 5 m/s: it re-evaluates
    convection and evaporation at the air speed of the present, slower pace, so it allows
    less than the breeze of 5 m/s would, and exactly what the forecast at the present
    pace's air speed allows."""
    from governor.physiology.thermal import saturation_vapour_pressure_kpa

    hot = dict(PLAN, told_air_c=35.0, air_vapour_kpa=0.8 * saturation_vapour_pressure_kpa(35.0),
               skin_c=35.5, sweating_factor=math.exp(1.5 / 10.7), core_shown_c=38.8,
               planned_speed_mps=5.0, present_speed_mps=1.5, remaining_s=3600.0,
               heat_w=70.0 * (3.6 * 5.0 + 1.2))
    # the first pass, by hand, at the planned pace's breeze: the speed the end forecast
    # allows is found by bisection
    lo, hi = 0.0, 5.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if _forecast_by_hand(hot, mid)[0] < 39.7 else (lo, mid)
    first_pass = lo
    assert 1.5 < first_pass < 5.0
    _, e = brain.heat_plan(*hot.values())
    assert e < first_pass - 0.05
    end, _ = _forecast_by_hand(hot, e, air_speed=hot["present_speed_mps"])
    assert end == pytest.approx(39.7, abs=1e-6)


def test_humidity_felt_lowers_the_speed_the_heat_plan_allows():
    """The same told air temperature, more vapour in the air: less sweat evaporates, and the
    governor, sensing it on the skin, allows less. A humidity-blind forecast would not
    move. Being told it is cooler still raises the allowed speed in humid air (the
    deception acts on the dry heat exchange)."""
    from governor.physiology.thermal import saturation_vapour_pressure_kpa

    p_sat = saturation_vapour_pressure_kpa(32.0)
    base = dict(told_air_c=32.0, skin_c=35.0, sweating_factor=math.exp(1.0 / 10.7))
    speeds = [_plan(**base, air_vapour_kpa=rh * p_sat)[1] for rh in (0.2, 0.5, 0.7, 0.9, 1.0)]
    assert all(np.diff(speeds) <= 1e-12)
    assert speeds[-1] < 0.9 * speeds[0]
    humid = dict(base, air_vapour_kpa=0.9 * p_sat)
    assert _plan(**dict(humid, told_air_c=26.0))[1] > _plan(**humid)[1]


def test_the_model_runs_the_heat_plan_the_tests_check():
    """The thermal-feasible speed a simulated hot race reports is :func:`brain.heat_plan` of
    the race's own state and beliefs at that moment."""
    import governor as gv
    from governor.physiology.energetics import air_cost_coefficient, still_air_cost_speed
    from governor.physiology.thermal import (
        core_skin_conductance_w_k,
        saturation_vapour_pressure_kpa,
    )

    params = gv.TRAINED
    sim = gv.simulate(params, gv.Race(10000.0), environment=gv.Environment(30.0, 0.6),
                      feedback=gv.Feedback(told_temperature_c=25.0, core_temp_offset_c=-0.2))
    tr = sim.trace
    area = 0.202 * params.body_mass_kg ** 0.425 * params.height_m ** 0.725
    kair = air_cost_coefficient(params.body_mass_kg, params.height_m)
    cs_hat = params.critical_speed_mps * (1.0 - params.naive_estimate_bias
                                          * math.exp(-10.0 / params.experience_trials))
    for t in (300.0, 1200.0, 1800.0):
        row = tr.loc[t]
        e_guess = max(row["metabolic_speed_mps"], cs_hat)
        planned = max(row["speed_mps"], e_guess)
        args = dict(
            heat_w=params.body_mass_kg * (3.6 * still_air_cost_speed(e_guess, kair) + 1.2),
            core_shown_c=row["displayed_core_temp_c"], skin_c=row["skin_temp_c"],
            sweating_factor=math.exp((row["skin_temp_c"] - 34.0) / 10.7),
            conductance_w_k=core_skin_conductance_w_k(max(row["core_temp_c"], 38.0),
                                                      row["skin_temp_c"], area),
            told_air_c=row["told_temp_c"], radiant_w=0.0,
            air_vapour_kpa=0.6 * saturation_vapour_pressure_kpa(30.0),
            planned_speed_mps=planned, present_speed_mps=row["speed_mps"], headwind_mps=0.0,
            remaining_s=row["believed_remaining_s"], limit_c=params.core_temp_limit_c,
            margin_c=params.thermal_margin_c, mass_kg=params.body_mass_kg, area_m2=area,
            sweat_gain_w_m2_k=params.sweat_gain_w_m2_k, clothing_clo=0.0)
        assert brain.heat_plan(*args.values())[1] == pytest.approx(
            row["thermal_feasible_mps"], rel=1e-9)


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
