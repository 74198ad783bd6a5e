"""Two-node (core, skin) heat balance of a runner.

A cheap form of the Gagge two-node model: metabolic heat minus external work (and shivering
in the cold) enters the core; blood flow carries it to the skin; the skin loses it through
any clothing by convection (growing with air speed), radiation and sweat evaporation bounded
by humidity; the breath carries a little away from the core.

The governor forecasts (:func:`governor.brain.heat_plan`) with the same balance made
piecewise linear (:func:`steady_core_limited_c`): evaporation is regulatory sweating, at
most what the glands can give and what humid air can take from the skin (that limit
linearised about the present skin temperature), so in humid heat it expects what the body
will do.
Past the critical thermal maximum (:data:`CRITICAL_CORE_C`) the integrators end an effort.

Temperatures [degC], powers [W], areas [m^2], vapour pressures [kPa].

References
----------
Gagge AP, Stolwijk JAJ, Nishi Y (1971). An effective temperature scale based on a simple
model of human physiological regulatory response. ASHRAE Trans 77:247-262.
Gagge AP, Fobelets AP, Berglund LG (1986). A standard predictive index of human response to
the thermal environment. ASHRAE Trans 92:709-731.
Fanger PO (1970). Thermal Comfort (respiratory heat loss).
Johnson JM, Park MK (1981). Effect of upright exercise on threshold for cutaneous
vasodilation and sweating. J Appl Physiol 50:814-818.
Bynum GD, Pandolf KB, Schuette WH, et al. (1978). Induced hyperthermia in sedated humans and
the concept of critical thermal maximum. Am J Physiol 235:R228-R236.
Pugh LGCE, Corbett JL, Johnson RH (1967). Rectal temperatures, weight losses, and sweat rates
in marathon running. J Appl Physiol 23:347-352.
Periard JD, Racinais S, Sawka MN (2015). Adaptations and mechanisms of human heat
acclimation: applications for competitive athletes and sports. Scand J Med Sci Sports
25 Suppl 1:20-38.
Karlsen A, Nybo L, Norgaard SJ, Jensen MV, Bonne T, Racinais S (2015). Time course of
natural heat acclimatization in well-trained cyclists during a 2-week training camp in the
heat. Scand J Med Sci Sports 25 Suppl 1:240-249 (sweat rate +20 +- 15 % within 5-6 days).
Underwood CR, Ward EJ (1966). The solar radiation area of man. Ergonomics 9:155-168.
Fanger PO (1970). Thermal Comfort (effective radiation area factor 0.725, standing).
Blazejczyk K, Nilsson H, Holmer I (1993). Solar heat load on man: review of different
methods of estimation. Int J Biometeorol 37:125-132 (absorptivity of skin and clothing for
sunlight about 0.6-0.8).
"""

from __future__ import annotations

import math

from governor._jit import jit

#: Specific heat of the body [J/kg/K] (Gagge et al. 1971).
BODY_SPECIFIC_HEAT_J_KG_K = 3490.0
#: Fraction of body heat capacity in the skin node during exercise [-] (Gagge et al. 1986).
SKIN_MASS_FRACTION = 0.1
#: Radiative heat-transfer coefficient [W/m^2/K] (Gagge et al. 1986).
RADIATIVE_COEFFICIENT_W_M2_K = 4.7
#: Lewis relation [K/kPa]: evaporative = 16.5 x convective coefficient.
LEWIS_RELATION_K_PER_KPA = 16.5
#: Set points of the Gagge model [degC].
CORE_SET_POINT_C = 36.8
SKIN_SET_POINT_C = 34.1
#: Thermal resistance of one clo of clothing [m^2 K/W] (ISO 9920).
CLO_M2_K_PER_W = 0.155
#: Moisture permeability index of clothing [-] (Gagge et al. 1986).
CLOTHING_PERMEABILITY = 0.45
#: Upper limit of skin blood flow [L/m^2/h] (Gagge et al. 1986).
SKIN_BLOOD_FLOW_MAX = 90.0
#: Rise of the core temperature threshold for skin vasodilation in upright exercise [degC]:
#: 0.39 +- 0.07 degC against supine rest, with the threshold for sweating and both slopes
#: unchanged (Johnson & Park 1981). Gagge's control is of resting people; running, the skin
#: receives less blood at a given core temperature, and so stays cooler in temperate air.
EXERCISE_DILATION_SHIFT_C = 0.39
#: Resting metabolic rate [W/kg].
RESTING_METABOLIC_W_KG = 1.2
#: Largest sustainable sweat rate, as evaporative power [W] (about 2.5 L/h).
MAX_SWEAT_POWER_W = 1700.0
#: Absorptivity of skin and light running kit for sunlight [-] (Blazejczyk et al. 1993:
#: 0.6-0.8; our choice within it).
SOLAR_ABSORPTIVITY = 0.7
#: Fraction of the body's surface area that the direct beam of the sun falls on, as its
#: projection on a plane facing the sun [-]: about 0.25-0.3 for an upright person with the
#: sun 30-60 degrees high (Underwood & Ward 1966), times the effective radiation area of a
#: standing body, 0.725 (Fanger 1970): 0.28 x 0.725.
SOLAR_AREA_FRACTION = 0.2
#: Heat acclimatisation: time constant of the adaptation [days of heat training]. Most of it
#: comes in the first 4-7 days and it is near complete by 10-14 (Periard et al. 2015): a
#: first-order approach with 4 days gives 71 % at 5 days and 97 % at 14.
HEAT_ACCLIMATISATION_TAU_DAYS = 4.0
#: Rise of the sweat gain when fully acclimatised [-]: sweat rate +20 % within 5-6 days of
#: training in the heat (Karlsen et al. 2015; Periard et al. 2015).
ACCLIMATISED_SWEAT_RISE = 0.2
#: Fall of resting core temperature when fully acclimatised [degC] (Periard et al. 2015:
#: resting and exercising core lower by a few tenths of a degree).
ACCLIMATISED_CORE_DROP_C = 0.3
#: Fraction of the cardiovascular cost of hyperthermia (the loss of effective CS per degC)
#: that full acclimatisation removes [-]: plasma volume expands and heart rate at a given
#: work falls (Periard et al. 2015); our choice of size.
ACCLIMATISED_STRAIN_RELIEF = 0.5
#: Critical thermal maximum of the human core [degC]: estimated at 41.6-42.0 degC, the
#: deep-body temperature past which heat injures tissue (Bynum et al. 1978). Runners finish
#: races at rectal temperatures above 41 degC (Pugh et al. 1967: a marathon winner at
#: 41.1 degC), so the body is not stopped below it; past it an effort ends in heat
#: illness (status "hyperthermia"), whatever the brain believes.
CRITICAL_CORE_C = 42.0


@jit
def saturation_vapour_pressure_kpa(temperature_c: float) -> float:
    """Saturation vapour pressure of water [kPa] (Tetens formula)."""
    return 0.6108 * math.exp(17.27 * temperature_c / (temperature_c + 237.3))


@jit
def convective_coefficient_w_m2_k(air_speed_mps: float) -> float:
    """Convective heat-transfer coefficient of a moving body [W/m^2/K]:
    ``max(3.0, 8.3 sqrt(u))`` (Gagge et al. 1986)."""
    return max(3.0, 8.3 * math.sqrt(max(air_speed_mps, 0.0)))


@jit
def clothed_coefficients_w_m2(
    convective_w_m2_k: float, clothing_clo: float
) -> tuple[float, float]:
    """Dry [W/m^2/K] and evaporative [W/m^2/kPa] transfer coefficients from skin to air
    through clothing of ``clothing_clo`` clo: ``1/(R_cl + 1/(f_cl h))`` with
    ``f_cl = 1 + 0.31 clo`` and an evaporative resistance ``R_cl/(16.5 i_cl)``. With no
    clothing they are ``h_c + h_r`` and ``16.5 h_c``."""
    h_dry = convective_w_m2_k + RADIATIVE_COEFFICIENT_W_M2_K
    h_evap = LEWIS_RELATION_K_PER_KPA * convective_w_m2_k
    if clothing_clo <= 0.0:
        return h_dry, h_evap
    r_cl = CLO_M2_K_PER_W * clothing_clo
    f_cl = 1.0 + 0.31 * clothing_clo
    dry = 1.0 / (r_cl + 1.0 / (f_cl * h_dry))
    evap = 1.0 / (r_cl / (LEWIS_RELATION_K_PER_KPA * CLOTHING_PERMEABILITY)
                  + 1.0 / (f_cl * h_evap))
    return dry, evap


@jit
def core_skin_conductance_w_k(core_c: float, skin_c: float, area_m2: float) -> float:
    """Core-to-skin conductance [W/K]: tissue (5.28 W/m^2/K) plus blood flow, where skin
    blood flow rises with core warmth above the exercising threshold (36.8 degC plus
    :data:`EXERCISE_DILATION_SHIFT_C`) and falls with skin cold (Gagge et al. 1986):
    ``(6.3 + 200 (Tc - 36.8 - shift)+) / (1 + 0.5 (34.1 - Tsk)+)`` L/m^2/h, at most
    :data:`SKIN_BLOOD_FLOW_MAX`."""
    warm_core = max(core_c - CORE_SET_POINT_C - EXERCISE_DILATION_SHIFT_C, 0.0)
    cold_skin = max(SKIN_SET_POINT_C - skin_c, 0.0)
    flow = (6.3 + 200.0 * warm_core) / (1.0 + 0.5 * cold_skin)
    flow = min(max(flow, 0.5), SKIN_BLOOD_FLOW_MAX)
    return area_m2 * (5.28 + 1.163 * flow)


@jit
def shivering_w_m2(core_c: float, skin_c: float) -> float:
    """Heat from shivering [W/m^2] when both core and skin are cold (Gagge et al. 1986):
    ``19.4 (33.7 - Tsk)+ (36.8 - Tc)+``."""
    return 19.4 * max(33.7 - skin_c, 0.0) * max(CORE_SET_POINT_C - core_c, 0.0)


def heat_acclimatisation(days: float) -> float:
    """How heat-acclimatised a runner is [0-1] after ``days`` of training in the heat:
    ``1 - exp(-days / tau)`` with tau :data:`HEAT_ACCLIMATISATION_TAU_DAYS` (0: not at all,
    as the parameter sets are; near 1 after two weeks)."""
    return 1.0 - math.exp(-max(days, 0.0) / HEAT_ACCLIMATISATION_TAU_DAYS)


def acclimatised_heat_terms(sweat_gain_w_m2_k: float, heat_cs_loss_per_c: float,
                            acclimatisation: float) -> tuple[float, float]:
    """The heat terms of a runner acclimatised by ``acclimatisation`` [0-1]
    (:func:`heat_acclimatisation`): (sweat gain [W/m^2/K], raised by up to
    :data:`ACCLIMATISED_SWEAT_RISE`; loss of effective CS per degC [1/degC], relieved by up
    to :data:`ACCLIMATISED_STRAIN_RELIEF`)."""
    a = min(max(acclimatisation, 0.0), 1.0)
    return (sweat_gain_w_m2_k * (1.0 + ACCLIMATISED_SWEAT_RISE * a),
            heat_cs_loss_per_c * (1.0 - ACCLIMATISED_STRAIN_RELIEF * a))


def resting_core_temp_c(acclimatisation: float) -> float:
    """Resting core temperature [degC] of a runner acclimatised by ``acclimatisation``
    [0-1]: 37.0 lowered by up to :data:`ACCLIMATISED_CORE_DROP_C`."""
    return 37.0 - ACCLIMATISED_CORE_DROP_C * min(max(acclimatisation, 0.0), 1.0)


@jit
def absorbed_radiant_w(irradiance_w_m2: float, area_m2: float) -> float:
    """Radiant heat the skin absorbs [W] from a source (the sun, a heat lamp) of
    ``irradiance_w_m2`` [W/m^2] on a plane facing it: ``alpha f_p A I`` with absorptivity
    :data:`SOLAR_ABSORPTIVITY` and the area fraction :data:`SOLAR_AREA_FRACTION` of the body
    surface ``area_m2`` the beam falls on. Diffuse sky and ground-reflected radiation are
    not counted (a clear sky's direct beam dominates; Blazejczyk et al. 1993)."""
    return SOLAR_ABSORPTIVITY * SOLAR_AREA_FRACTION * area_m2 * max(irradiance_w_m2, 0.0)


@jit
def heat_production_w(metabolic_power_w: float, external_work_w: float) -> float:
    """Heat released in the body [W]: metabolic power minus external mechanical work
    (work against gravity uphill; negative downhill, where it is absorbed as heat)."""
    return metabolic_power_w - external_work_w


@jit
def thermal_rates_from_vapour_c_per_s(
    core_c: float,
    skin_c: float,
    heat_w: float,
    metabolic_power_w: float,
    air_c: float,
    air_vapour_kpa: float,
    air_speed_mps: float,
    mass_kg: float,
    area_m2: float,
    sweat_gain_w_m2_k: float,
    clothing_clo: float = 0.0,
    radiant_w: float = 0.0,
) -> tuple[float, float, float, float]:
    """:func:`thermal_rates_c_per_s` with the air's vapour pressure [kPa] given; returns
    also the skin sweating factor ``phi = exp((Tsk - 34)/10.7)``."""
    c_total = mass_kg * BODY_SPECIFIC_HEAT_J_KG_K
    c_skin = SKIN_MASS_FRACTION * c_total
    c_core = c_total - c_skin
    k_cs = core_skin_conductance_w_k(core_c, skin_c, area_m2)
    h_dry, h_evap = clothed_coefficients_w_m2(convective_coefficient_w_m2_k(air_speed_mps),
                                              clothing_clo)
    dry = area_m2 * h_dry * (skin_c - air_c)
    e_max = area_m2 * h_evap * (saturation_vapour_pressure_kpa(skin_c) - air_vapour_kpa)
    e_max = max(e_max, 0.0)
    phi = math.exp((skin_c - 34.0) / 10.7)
    sweat = area_m2 * sweat_gain_w_m2_k * max(core_c - CORE_SET_POINT_C, 0.0) * phi
    evap = min(min(sweat, MAX_SWEAT_POWER_W), e_max)
    resp = metabolic_power_w * (0.0014 * (34.0 - air_c) + 0.0173 * (5.87 - air_vapour_kpa))
    flow = k_cs * (core_c - skin_c)
    shiver = area_m2 * shivering_w_m2(core_c, skin_c)
    d_core = (heat_w + shiver - flow - resp) / c_core
    d_skin = (flow + radiant_w - dry - evap) / c_skin
    return d_core, d_skin, evap, phi


@jit
def thermal_rates_c_per_s(
    core_c: float,
    skin_c: float,
    heat_w: float,
    metabolic_power_w: float,
    air_c: float,
    relative_humidity: float,
    air_speed_mps: float,
    mass_kg: float,
    area_m2: float,
    sweat_gain_w_m2_k: float,
    clothing_clo: float = 0.0,
    radiant_w: float = 0.0,
) -> tuple[float, float, float]:
    """Core and skin temperature rates [degC/s] and evaporative loss [W].

    Core: ``C_c dTc/dt = H + Q_shiver - K (Tc - Tsk) - Q_resp``.
    Skin: ``C_s dTsk/dt = K (Tc - Tsk) + Q_rad - A h_dry (Tsk - Ta) - E``, where
    ``Q_rad`` is absorbed radiant heat [W] (:func:`absorbed_radiant_w`),
    ``E = min(A k_sw (Tc - 36.8) exp((Tsk - 34)/10.7), E_max)`` and
    ``E_max = A h_evap (p_sat(Tsk) - RH p_sat(Ta))``; unclothed ``h_dry = h_c + h_r`` and
    ``h_evap = 16.5 h_c``, clothing adds its resistance (:func:`clothed_coefficients_w_m2`).
    """
    d_core, d_skin, evap, _ = thermal_rates_from_vapour_c_per_s(
        core_c, skin_c, heat_w, metabolic_power_w, air_c,
        relative_humidity * saturation_vapour_pressure_kpa(air_c), air_speed_mps, mass_kg,
        area_m2, sweat_gain_w_m2_k, clothing_clo, radiant_w)
    return d_core, d_skin, evap


@jit
def loss_conductances_w_k(
    air_speed_mps: float, skin_c: float, area_m2: float, sweat_gain_w_m2_k: float,
    clothing_clo: float = 0.0,
) -> tuple[float, float]:
    """Dry and evaporative loss conductances [W/K] of the linearised balance:
    ``A h_dry`` and ``A k_sw phi`` with ``phi = exp((Tsk - 34)/10.7)``."""
    h_dry, _ = clothed_coefficients_w_m2(convective_coefficient_w_m2_k(air_speed_mps),
                                         clothing_clo)
    return area_m2 * h_dry, area_m2 * sweat_gain_w_m2_k * math.exp((skin_c - 34.0) / 10.7)


@jit
def skin_saturation_kpa(skin_c: float) -> tuple[float, float]:
    """Saturation vapour pressure [kPa] at the skin temperature ``skin_c`` and its slope
    [kPa/K], from one exp: the Tetens formula and its derivative
    ``p_sat(T) 17.27 x 237.3 / (T + 237.3)^2``."""
    p_sat = saturation_vapour_pressure_kpa(skin_c)
    return p_sat, p_sat * (17.27 * 237.3) / ((skin_c + 237.3) * (skin_c + 237.3))


@jit
def evaporative_capacity_from_saturation_w(
    skin_vapour_kpa: float, skin_vapour_slope_kpa_k: float, air_vapour_kpa: float,
    evaporative_w_m2_kpa: float, area_m2: float,
) -> tuple[float, float]:
    """:func:`evaporative_capacity_w` from the skin's saturation vapour pressure and its
    slope (:func:`skin_saturation_kpa`) and the evaporative transfer coefficient
    [W/m^2/kPa] (:func:`clothed_coefficients_w_m2`)."""
    a_h = area_m2 * evaporative_w_m2_kpa
    return a_h * (skin_vapour_kpa - air_vapour_kpa), a_h * skin_vapour_slope_kpa_k


@jit
def evaporative_capacity_w(
    skin_c: float, air_vapour_kpa: float, air_speed_mps: float, area_m2: float,
    clothing_clo: float = 0.0,
) -> tuple[float, float]:
    """The humidity limit on evaporation, linearised in skin temperature about ``skin_c``:
    ``E_max(Tsk0) = A h_evap (p_sat(Tsk0) - p_a)`` [W] (negative when the air holds more
    vapour than saturated skin; the body then evaporates nothing) and its slope
    ``dE_max/dTsk = A h_evap p_sat'(Tsk0)`` [W/K].

    ``p_sat`` is convex, so the tangent never overstates the limit at another skin
    temperature: a forecast built on it does not promise evaporation the air cannot take.
    """
    _, h_evap = clothed_coefficients_w_m2(convective_coefficient_w_m2_k(air_speed_mps),
                                          clothing_clo)
    p_sat, slope = skin_saturation_kpa(skin_c)
    return evaporative_capacity_from_saturation_w(p_sat, slope, air_vapour_kpa, h_evap,
                                                  area_m2)


@jit
def steady_core_from_conductances_c(
    heat_w: float, air_c: float, conductance_w_k: float, dry_w_k: float, sweat_w_k: float
) -> float:
    """Steady core temperature [degC] of the linear balance with unlimited evaporation
    ``A k_sw phi (Tc - 36.8)``, from its loss conductances [W/K] (see
    :func:`steady_core_limited_c`)."""
    gained = heat_w + dry_w_k * (heat_w / conductance_w_k + air_c) + sweat_w_k * CORE_SET_POINT_C
    return gained / (dry_w_k + sweat_w_k)


@jit
def steady_core_limited_c(
    heat_w: float,
    air_c: float,
    conductance_w_k: float,
    dry_w_k: float,
    sweat_w_k: float,
    skin_c: float,
    capacity_w: float,
    capacity_slope_w_k: float,
) -> float:
    """Steady core temperature [degC] of the piecewise-linear balance the governor forecasts.

    At steady state ``H = A h_dry (Tsk - Ta) + E`` with ``Tsk = Tc - H/K`` (``K``
    ``conductance_w_k``, ``A h_dry`` ``dry_w_k``) and evaporation limited as in the body
    (:func:`thermal_rates_from_vapour_c_per_s`)::

        E = min(A k_sw phi (Tc - 36.8),  E_sweat_max,  max(E_max(Tsk), 0))

    with ``A k_sw phi`` ``sweat_w_k`` (``phi`` held at the present skin temperature),
    ``E_sweat_max`` :data:`MAX_SWEAT_POWER_W` and the humidity limit ``E_max`` linearised
    about the present skin temperature ``skin_c`` (``capacity_w`` and ``capacity_slope_w_k``
    from :func:`evaporative_capacity_w`). Each piece is linear and the heat lost grows
    with ``Tc``, so the steady state is the largest of the pieces' steady states where
    evaporation is a minimum of limits, the smallest where it is a maximum::

        Tc_ss = max(Tc_sweat, Tc_glands, min(Tc_humid, Tc_none))

    With humidity far from limiting this is the linear forecast
    ``[H + A h_dry (H/K + Ta) + A k_sw phi 36.8] / (A h_dry + A k_sw phi)``.
    """
    dry = dry_w_k
    g = capacity_slope_w_k
    gradient = heat_w / conductance_w_k  # Tc - Tsk
    sweat = (heat_w + dry * (gradient + air_c) + sweat_w_k * CORE_SET_POINT_C) / (dry + sweat_w_k)
    # the evaporation that closes the balance there: if neither the glands nor humid air
    # limit it, that is the answer (the usual case, decided without another division)
    evap = sweat_w_k * (sweat - CORE_SET_POINT_C)
    if evap <= MAX_SWEAT_POWER_W and (
            evap <= 0.0 or evap <= capacity_w + g * (sweat - gradient - skin_c)):
        return sweat
    glands = air_c + gradient + (heat_w - MAX_SWEAT_POWER_W) / dry
    # H = dry (Tsk - Ta) + E_max0 + G (Tsk - Tsk0)
    humid = gradient + (heat_w + dry * air_c - capacity_w + g * skin_c) / (dry + g)
    none = air_c + gradient + heat_w / dry
    return max(max(sweat, glands), min(humid, none))


@jit
def effective_sweat_conductance_w_k(
    heat_w: float, air_c: float, conductance_w_k: float, dry_w_k: float, sweat_w_k: float,
    steady_c: float,
) -> float:
    """Evaporative conductance [W/K] the forecast expects to achieve: evaporation at the
    steady state ``steady_c`` (what closes the balance there,
    ``H - A h_dry (Tss - H/K - Ta)``) per degC of core above 36.8, at most the unlimited
    ``A k_sw phi`` (``sweat_w_k``). Equal to it while humidity does not limit evaporation,
    smaller as it does, zero when nothing can evaporate."""
    above = steady_c - CORE_SET_POINT_C
    if above <= 1e-6:
        return sweat_w_k
    evap = heat_w - dry_w_k * (steady_c - heat_w / conductance_w_k - air_c)
    return min(max(evap / above, 0.0), sweat_w_k)


@jit
def time_constant_from_conductances_s(mass_kg: float, dry_w_k: float, sweat_w_k: float) -> float:
    """Time constant [s] of the linearised balance from its loss conductances [W/K]: core
    heat capacity over the total loss conductance (pass the effective evaporative
    conductance, :func:`effective_sweat_conductance_w_k`, where humidity limits it)."""
    c_core = (1.0 - SKIN_MASS_FRACTION) * mass_kg * BODY_SPECIFIC_HEAT_J_KG_K
    return c_core / (dry_w_k + sweat_w_k)


@jit
def mean_forecast_from_decay_c(
    core_now_c: float, steady_c: float, x: float, decay: float
) -> float:
    """:func:`mean_forecast_core_temp_c` with ``x = H/tau`` and ``decay = exp(-x)`` given."""
    if x <= 1e-9:
        return core_now_c
    return steady_c + (core_now_c - steady_c) * (1.0 - decay) / x


@jit
def mean_forecast_core_temp_c(
    core_now_c: float, steady_c: float, horizon_s: float, tau_s: float
) -> float:
    """Mean core temperature [degC] over the next ``horizon_s`` seconds of a first-order
    approach from ``core_now_c`` to ``steady_c`` with time constant ``tau_s``:
    ``Tss + (T0 - Tss) (tau/H)(1 - exp(-H/tau))``."""
    x = horizon_s / tau_s
    return mean_forecast_from_decay_c(core_now_c, steady_c, x, math.exp(-x))


@jit
def end_forecast_core_temp_c(
    core_now_c: float, steady_c: float, horizon_s: float, tau_s: float
) -> float:
    """Core temperature [degC] after ``horizon_s`` of a first-order approach to steady."""
    return steady_c + (core_now_c - steady_c) * math.exp(-horizon_s / tau_s)
