"""Pure functions of the body, each against a hand-computed value or an analytic limit."""

import math

import numpy as np
import pytest

from governor.physiology import energetics as en
from governor.physiology import heart, reserve, thermal


class TestEnergetics:
    def test_minetti_flat_cost_is_3_6(self):
        assert en.minetti_cost_j_per_kg_m(0.0) == pytest.approx(3.6)

    def test_minetti_polynomial_by_hand_at_10_percent(self):
        i = 0.10
        by_hand = 155.4 * i**5 - 30.4 * i**4 - 43.3 * i**3 + 46.3 * i**2 + 19.5 * i + 3.6
        assert en.minetti_cost_j_per_kg_m(i) == pytest.approx(by_hand, rel=1e-12)
        assert by_hand == pytest.approx(5.968214, rel=1e-6)

    def test_minetti_clipped_outside_fitted_range(self):
        assert en.minetti_cost_j_per_kg_m(0.9) == en.minetti_cost_j_per_kg_m(0.45)
        assert en.minetti_cost_j_per_kg_m(-0.9) == en.minetti_cost_j_per_kg_m(-0.45)

    def test_downhill_cheapest_near_minus_20_percent(self):
        grades = np.linspace(-0.45, 0.45, 901)
        costs = [en.minetti_cost_j_per_kg_m(g) for g in grades]
        assert -0.25 < grades[int(np.argmin(costs))] < -0.15

    def test_still_air_flat_metabolic_speed_equals_speed(self):
        k = en.air_cost_coefficient(70.0, 1.75)
        for v in (1.0, 3.0, 5.5, 8.0):
            assert en.metabolic_speed(v, 0.0, 0.0, k) == pytest.approx(v, rel=1e-10)

    def test_speed_from_metabolic_inverts_metabolic_speed(self):
        k = en.air_cost_coefficient(60.0, 1.70)
        for v, g, w in [(4.0, 0.05, 0.0), (5.0, -0.08, 3.0), (6.0, 0.0, -2.0), (2.0, 0.3, 1.0)]:
            e = en.metabolic_speed(v, g, w, k)
            assert en.speed_from_metabolic(e, g, w, k) == pytest.approx(v, rel=1e-8)

    def test_uphill_and_headwind_slow_the_runner(self):
        k = en.air_cost_coefficient(70.0, 1.75)
        flat = en.speed_from_metabolic(5.0, 0.0, 0.0, k)
        assert en.speed_from_metabolic(5.0, 0.05, 0.0, k) < flat
        assert en.speed_from_metabolic(5.0, 0.0, 5.0, k) < flat
        assert en.speed_from_metabolic(5.0, 0.0, -3.0, k) > flat

    def test_air_share_of_cost_near_pugh(self):
        # Pugh 1971: roughly 8 % of the energy of middle-distance running (~6 m/s) goes
        # into air resistance.
        k = en.air_cost_coefficient(65.0, 1.75)
        v = 6.0
        share = k * v**3 / en.still_air_cost_speed(v, k)
        assert 0.04 < share < 0.10

    def test_grade_adjusted_speed_arrays_and_floats(self):
        assert en.grade_adjusted_speed_mps(3.0, 0.0) == pytest.approx(3.0)
        out = en.grade_adjusted_speed_mps(np.array([3.0, 3.0, np.nan]), np.array([0.1, -0.1, 0]))
        assert out[0] == pytest.approx(3.0 * 5.968214 / 3.6, rel=1e-6)
        assert out[1] < 3.0
        assert math.isnan(out[2])

    def test_du_bois_area_by_hand(self):
        assert en.body_surface_area_m2(70.0, 1.75) == pytest.approx(
            0.202 * 70**0.425 * 1.75**0.725
        )
        assert 1.8 < en.body_surface_area_m2(70.0, 1.75) < 1.9


class TestReserve:
    def test_depletes_one_for_one_above_cs(self):
        assert reserve.d_balance_rate_mps(5.5, 150.0, 200.0, 5.0) == pytest.approx(-0.5)

    def test_recovers_in_proportion_to_deficit_below_cs(self):
        # Skiba 2015: (CS - e)(D'0 - D)/D'0 = (5 - 4)(200 - 150)/200
        assert reserve.d_balance_rate_mps(4.0, 150.0, 200.0, 5.0) == pytest.approx(0.25)
        assert reserve.d_balance_rate_mps(4.0, 200.0, 200.0, 5.0) == 0.0

    def test_morton_ceiling_limits(self):
        assert reserve.recruitment_ceiling(200.0, 200.0, 5.0, 8.0) == pytest.approx(1.0)
        assert reserve.recruitment_ceiling(0.0, 200.0, 5.0, 8.0) == pytest.approx(5.0 / 8.0)
        assert reserve.recruitment_ceiling(100.0, 200.0, 5.0, 8.0) == pytest.approx(6.5 / 8.0)

    def test_integrated_balance_gives_cs_hyperbola(self):
        """Without the governor or the ceiling, D reaches zero at D'0/(v - CS)."""
        d, t, dt = 200.0, 0.0, 0.01
        while d > 0.0:
            d += dt * reserve.d_balance_rate_mps(5.5, d, 200.0, 5.0)
            t += dt
        assert t == pytest.approx(200.0 / 0.5, abs=0.02)
        assert reserve.time_to_exhaustion_s(5.5, 5.0, 200.0) == pytest.approx(400.0)

    def test_morton_time_to_exhaustion_formula(self):
        # exhausted when CS + (vmax - CS) D/D'0 = v, i.e. D = D'0 (v - CS)/(vmax - CS)
        t = reserve.time_to_exhaustion_s(5.5, 5.0, 200.0, 8.0)
        assert t == pytest.approx((200.0 - 200.0 * 0.5 / 3.0) / 0.5)
        assert reserve.time_to_exhaustion_s(4.0, 5.0, 200.0) == math.inf

    def test_effective_cs_heat_and_durability(self):
        assert reserve.effective_critical_speed_mps(5.0, 37.0, 38.0, 0.03, 0.0, 0.05) == 5.0
        assert reserve.effective_critical_speed_mps(5.0, 39.0, 38.0, 0.03, 0.0, 0.05) == (
            pytest.approx(5.0 * 0.97)
        )
        assert reserve.effective_critical_speed_mps(5.0, 37.0, 38.0, 0.03, 2.0, 0.05) == (
            pytest.approx(5.0 * 0.90)
        )



def _steady_core(heat_w, air_c, air_speed_mps, skin_c, conductance_w_k, area_m2,
                 sweat_gain_w_m2_k, air_vapour_kpa):
    """The forecast's steady core [degC] from the balance's building blocks, as the heat
    plan builds it (:func:`governor.brain.heat_plan`)."""
    dry, sweat = thermal.loss_conductances_w_k(air_speed_mps, skin_c, area_m2, sweat_gain_w_m2_k)
    capacity, slope = thermal.evaporative_capacity_w(skin_c, air_vapour_kpa, air_speed_mps,
                                                     area_m2)
    return thermal.steady_core_limited_c(heat_w, air_c, conductance_w_k, dry, sweat, skin_c,
                                         capacity, slope)

class TestThermal:
    def test_tetens_saturation_pressure(self):
        assert thermal.saturation_vapour_pressure_kpa(20.0) == pytest.approx(2.338, rel=2e-3)
        assert thermal.saturation_vapour_pressure_kpa(35.0) == pytest.approx(5.62, rel=3e-3)

    def test_convection_grows_with_air_speed(self):
        assert thermal.convective_coefficient_w_m2_k(0.0) == 3.0
        assert thermal.convective_coefficient_w_m2_k(4.0) == pytest.approx(16.6)

    def test_skin_vessels_open_above_the_exercising_threshold(self):
        # Johnson & Park 1981: running opens the skin's vessels 0.39 degC later than Gagge's
        # resting control; below that only tissue and basal flow conduct
        a = 1.85
        basal = a * (5.28 + 1.163 * 6.3)
        threshold = thermal.CORE_SET_POINT_C + thermal.EXERCISE_DILATION_SHIFT_C
        assert thermal.EXERCISE_DILATION_SHIFT_C == pytest.approx(0.39)
        assert thermal.core_skin_conductance_w_k(threshold, 34.5, a) == pytest.approx(basal)
        assert thermal.core_skin_conductance_w_k(threshold + 0.2, 34.5, a) == pytest.approx(
            a * (5.28 + 1.163 * (6.3 + 200.0 * 0.2)))

    def test_rest_in_thermoneutral_air_is_near_balance(self):
        # an unclothed body at rest is near balance around 29 degC air
        m, a = 70.0, 1.85
        metabolic = 1.2 * m
        dc, ds, _ = thermal.thermal_rates_c_per_s(36.8, 34.0, metabolic, metabolic, 29.0, 0.5,
                                                  0.1, m, a, 150.0)
        assert abs(dc) * 3600 < 1.0 and abs(ds) * 3600 < 3.0

    def test_running_heats_the_core_and_heat_makes_it_worse(self):
        m, a = 70.0, 1.85
        h = m * 3.6 * 4.5
        dc_cool, _, _ = thermal.thermal_rates_c_per_s(37.5, 33.0, h, h, 15.0, 0.5, 4.5, m, a, 150)
        dc_hot, _, _ = thermal.thermal_rates_c_per_s(37.5, 33.0, h, h, 35.0, 0.5, 4.5, m, a, 150)
        assert dc_cool > 0.0
        assert dc_hot > dc_cool

    def test_humid_air_limits_evaporation(self):
        m, a = 70.0, 1.85
        h = m * 3.6 * 4.5
        _, _, e_dry = thermal.thermal_rates_c_per_s(39.0, 35.0, h, h, 32.0, 0.2, 4.5, m, a, 200)
        _, _, e_wet = thermal.thermal_rates_c_per_s(39.0, 35.0, h, h, 32.0, 0.95, 4.5, m, a, 200)
        assert e_wet < e_dry

    def test_steady_core_solves_linearised_balance(self):
        """In dry air humidity does not limit evaporation: the forecast is the linear
        balance with sweat conductance A k_sw phi."""
        h, ta, u, tsk, k, a, ksw, pa = 1200.0, 22.0, 5.0, 33.0, 200.0, 1.8, 200.0, 1.0
        tc = _steady_core(h, ta, u, tsk, k, a, ksw, pa)
        h_dry = thermal.convective_coefficient_w_m2_k(u) + thermal.RADIATIVE_COEFFICIENT_W_M2_K
        phi = math.exp((tsk - 34.0) / 10.7)
        skin = tc - h / k
        loss = a * h_dry * (skin - ta) + a * ksw * phi * (tc - 36.8)
        assert loss == pytest.approx(h, rel=1e-10)
        assert _steady_core(h, 30.0, u, tsk, k, a, ksw, pa) > tc

    def test_evaporative_capacity_is_the_body_limit_and_a_tangent_below_it(self):
        """E_max at the skin temperature it is taken at equals the body's humidity limit;
        elsewhere the tangent never overstates it (p_sat is convex)."""
        u, a, pa, t0 = 4.0, 1.9, 3.9, 35.0
        cap, slope = thermal.evaporative_capacity_w(t0, pa, u, a)
        _, h_e = thermal.clothed_coefficients_w_m2(thermal.convective_coefficient_w_m2_k(u),
                                                   0.0)
        for tsk in (32.0, 34.0, 35.0, 36.5, 39.0):
            body = a * h_e * (thermal.saturation_vapour_pressure_kpa(tsk) - pa)
            tangent = cap + slope * (tsk - t0)
            assert tangent <= body + 1e-9
            if tsk == t0:
                assert tangent == pytest.approx(body, rel=1e-12)
        dt = 1e-4
        numeric = (thermal.saturation_vapour_pressure_kpa(t0 + dt)
                   - thermal.saturation_vapour_pressure_kpa(t0 - dt)) / (2 * dt)
        assert thermal.skin_saturation_kpa(t0)[1] == pytest.approx(numeric, rel=1e-7)

    @pytest.mark.parametrize("air_c, rh", [(22.0, 0.4), (30.0, 0.9), (35.0, 0.5),
                                           (35.0, 0.8), (40.0, 0.6)])
    def test_forecast_steady_state_is_the_body_steady_state(self, air_c, rh):
        """Holding heat production fixed, the body's heat balance settles where the
        governor's forecast says, humid air or dry, when the forecast is given the
        conductances at that steady state (breath losses off: metabolic power 0). A
        humidity-blind forecast (evaporation A k_sw phi (Tc - 36.8) unlimited) is far too
        cool in humid heat."""
        m, a, u, ksw, h = 70.0, 1.85, 4.0, 200.0, 1100.0
        pa = rh * thermal.saturation_vapour_pressure_kpa(air_c)
        core, skin, dt = 37.0, 34.0, 1.0
        for _ in range(200000):
            dc, ds, _, _ = thermal.thermal_rates_from_vapour_c_per_s(
                core, skin, h, 0.0, air_c, pa, u, m, a, ksw)
            core, skin = core + dt * dc, skin + dt * ds
            if abs(dc) < 1e-10 and abs(ds) < 1e-10:
                break
        assert abs(dc) < 1e-8
        k = thermal.core_skin_conductance_w_k(core, skin, a)
        forecast = _steady_core(h, air_c, u, skin, k, a, ksw, pa)
        assert forecast == pytest.approx(core, abs=1e-3)
        dry, sweat = thermal.loss_conductances_w_k(u, skin, a, ksw)
        blind = thermal.steady_core_from_conductances_c(h, air_c, k, dry, sweat)
        humid = pa > 0.7 * thermal.saturation_vapour_pressure_kpa(skin)
        if humid:
            assert blind < core - 0.5
        # what the forecast expects to evaporate at its steady state closes the balance
        s_eff = thermal.effective_sweat_conductance_w_k(h, air_c, k, dry, sweat, forecast)
        _, _, evap, _ = thermal.thermal_rates_from_vapour_c_per_s(
            core, skin, h, 0.0, air_c, pa, u, m, a, ksw)
        assert s_eff * (forecast - 36.8) == pytest.approx(evap, abs=2.0)
        assert s_eff <= sweat + 1e-9

    def test_no_evaporation_in_saturated_air_hotter_than_the_skin(self):
        """In saturated air warmer than the skin nothing evaporates: the forecast is the
        dry balance alone, with no steady state below the air temperature."""
        h, ta, u, tsk, k, a, ksw = 1000.0, 40.0, 3.0, 36.0, 200.0, 1.8, 200.0
        pa = thermal.saturation_vapour_pressure_kpa(ta)
        tc = _steady_core(h, ta, u, tsk, k, a, ksw, pa)
        assert tc > ta + h / k
        dry, sweat = thermal.loss_conductances_w_k(u, tsk, a, ksw)
        assert thermal.effective_sweat_conductance_w_k(h, ta, k, dry, sweat, tc) < 0.2 * sweat

    def test_forecast_means_first_order(self):
        tau, h = 600.0, 1800.0
        mean = thermal.mean_forecast_core_temp_c(37.0, 39.0, h, tau)
        t = np.linspace(0, h, 200001)
        by_quadrature = np.mean(39.0 + (37.0 - 39.0) * np.exp(-t / tau))
        assert mean == pytest.approx(by_quadrature, abs=1e-4)
        assert thermal.end_forecast_core_temp_c(37.0, 39.0, h, tau) == pytest.approx(
            39.0 - 2.0 * math.exp(-3.0)
        )


class TestHeart:
    def test_steady_heart_rate_linear_and_capped(self):
        # (e, CS, core, work, rest, max, baseline, f_CS, drift per degC, drift per work-h)
        hr = heart.steady_heart_rate_bpm(5.0, 5.0, 37.0, 0.0, 50.0, 190.0, 70.0, 0.9, 8.0, 10.0)
        assert hr == pytest.approx(50 + 0.9 * 140)
        hot = heart.steady_heart_rate_bpm(5.0, 5.0, 38.5, 0.0, 50.0, 190.0, 70.0, 0.9, 8.0, 10.0)
        assert hot == pytest.approx(min(176 + 12, 190))
        assert heart.steady_heart_rate_bpm(9.0, 5.0, 40.0, 0.0, 50.0, 190.0, 70.0, 0.9, 8.0,
                                           10.0) == 190.0
        # the exercising line never starts below rest
        assert heart.steady_heart_rate_bpm(0.0, 5.0, 37.0, 0.0, 50.0, 190.0, 30.0, 0.9, 8.0,
                                           10.0) == pytest.approx(50.0)

    def test_first_order_kinetics_time_constant(self):
        """Integrated from rest, HR covers 63.2 % of a step in one rise time constant."""
        hr, dt = 60.0, 0.01
        for _ in range(int(28.0 / dt)):
            hr += dt * heart.heart_rate_rate_bpm_per_s(hr, 160.0, 28.0, 40.0)
        assert (hr - 60.0) / 100.0 == pytest.approx(1 - math.exp(-1), abs=2e-3)
        assert heart.heart_rate_rate_bpm_per_s(160.0, 60.0, 28.0, 40.0) == pytest.approx(-2.5)
