"""The governor: what the brain believes, the reserve it keeps, the recruitment it allows.

Every function here acts on *beliefs* (displayed distance, believed totals, the perceived
clock, told temperatures, afferent estimates of the reserve), never on the true state
(``docs/model.md``, the brain). The command is the smallest of three speeds, each a flat-equivalent
metabolic speed [m/s]:

1. reserve-feasible: finish the believed remaining effort with a safety reserve still held,
   a reserve released as the believed end approaches (the end spurt);
2. thermal-feasible: keep the forecast core temperature at the believed end a margin below
   the limit, forecast with the told air temperature and the displayed core temperature,
   and with the evaporation humid air allows. Humidity is felt, not told: how well sweat
   evaporates is sensed on the skin (our choice of afferent), so the forecast takes the
   true air's vapour pressure and the present skin temperature, and no feedback
   manipulates it;
3. perceptually acceptable: the present speed corrected by how far perceived exertion runs
   ahead of the RPE template for the believed fraction completed.

References
----------
St Clair Gibson A, Noakes TD (2004). Evidence for complex system integration and dynamic
neural regulation of skeletal muscle recruitment during exercise in humans. Br J Sports Med
38:797-806.
Tucker R (2009). The anticipatory regulation of performance: the physiological basis for
pacing strategies and the development of a perception-based model for exercise performance.
Br J Sports Med 43:392-400.
Joseph T, Johnson B, Battista RA, et al. (2008). Perception of fatigue during simulated
competition. Med Sci Sports Exerc 40:381-386.
de Koning JJ, Foster C, Bakkum A, et al. (2011). Regulation of pacing strategy during athletic
competition. PLoS ONE 6:e15863.
Mauger AR, Jones AM, Williams CA (2009). Influence of feedback and prior experience on pacing
during a 4-km cycle time trial. Med Sci Sports Exerc 41:451-458.
Ulmer HV (1996). Concept of an extracellular regulation of muscular metabolic rate during
heavy exercise in humans by psychophysiological feedback. Experientia 52:416-420.
St Clair Gibson A, Lambert EV, Rauch LHG, et al. (2006). The role of information processing
between the brain and peripheral physiological systems in pacing and perception of effort.
Sports Med 36:705-722.
Grondin S (2010). Timing and time perception: a review of recent behavioral and neuroscience
findings and theoretical directions. Atten Percept Psychophys 72:561-582.
Maughan RJ, Otani H, Watson P (2012). Influence of relative humidity on prolonged exercise
capacity in a warm environment. Eur J Appl Physiol 112:2313-2321 (at 30 degC, exercise time
fell from 68 to 46 min as humidity rose from 24 to 80 %).
Jenkins EJ, Campbell HA, Lee JKW, et al. (2022). Delineating the impacts of air temperature
and humidity for endurance exercise. Exp Physiol (20-km time trial at 36 degC 3.4 % slower
with the air's vapour pressure doubled).
"""

from __future__ import annotations

import math

from governor._jit import inlined, jit
from governor.physiology.energetics import FLAT_COST_J_PER_KG_M
from governor.physiology.thermal import (
    CORE_SET_POINT_C,
    MAX_SWEAT_POWER_W,
    RESTING_METABOLIC_W_KG,
    clothed_coefficients_w_m2,
    convective_coefficient_w_m2_k,
    effective_sweat_conductance_w_k,
    evaporative_capacity_from_saturation_w,
    mean_forecast_from_decay_c,
    skin_saturation_kpa,
    steady_core_from_conductances_c,
    steady_core_limited_c,
    time_constant_from_conductances_s,
)


@jit
def naivety(experience: float, experience_trials: float) -> float:
    """How naive the governor is [0-1]: ``exp(-n / n_e)`` for ``n`` previous similar maximal
    efforts. 1 for a first attempt, near 0 after a few."""
    return math.exp(-max(experience, 0.0) / experience_trials)


@jit
def believed_reserve_m(
    reserve_m: float, d_prime_m: float, believed_d_prime_m: float, afferent_gain: float
) -> float:
    """The governor's estimate of its reserve [m] from afferent feedback of depletion.

    ``D_hat = D_hat0 (1 - g (1 - D/D'0))``: with afferent gain ``g`` below 1 the brain
    under-senses how much is spent.
    """
    return believed_d_prime_m * max(1.0 - afferent_gain * (1.0 - reserve_m / d_prime_m), 0.0)


@jit
def normal_cdf(z: float) -> float:
    """Standard normal cumulative distribution [-]."""
    return 0.5 * math.erfc(-z / math.sqrt(2.0))


@jit
def expected_remaining(done: float, median_total: float, log_sd: float) -> float:
    """What the governor expects to remain of an effort whose total it believes to be
    lognormal with median ``median_total`` and log-sd ``log_sd``, given that ``done`` is
    behind it and it has not ended: ``E[L - d | L > d]``, in the units of the total (m or s).

    ``E[L | L > d] = m exp(s^2/2) Phi(s - z) / Phi(-z)`` with ``z = ln(d/m)/s``. With
    ``log_sd`` 0 (the end is known) it is ``median_total - done``. With an unknown end it
    never reaches zero: past the median, an effort that has not ended is believed to go on
    (for ``d >> m`` the expectation is about ``s d / (z - s)``), so a reserve held for the
    end is never released for an end the runner cannot see (Ulmer 1996; St Clair Gibson et
    al. 2006).
    """
    if log_sd <= 0.0:
        return median_total - done
    if done <= 0.0:
        return median_total * math.exp(0.5 * log_sd * log_sd)
    z = (math.log(done) - math.log(median_total)) / log_sd
    tail = normal_cdf(-z)
    if tail < 1e-300:
        return done * log_sd / (z - log_sd)
    beyond = median_total * math.exp(0.5 * log_sd * log_sd) * normal_cdf(log_sd - z)
    return max(beyond / tail - done, 0.0)


@jit
def expected_remaining_unseen_progress(done: float, total: float, log_sd: float) -> float:
    """What the governor expects to remain of an effort of known ``total`` when it cannot
    see how much is done: its estimate ``done`` is the median of a lognormal belief with
    log-sd ``log_sd`` (dead reckoning, whose error grows with the distance), and the effort
    has not ended: ``E[L - D | D < L]`` [units of the total].

    ``E[D | D < L] = d exp(s^2/2) Phi(z - s) / Phi(z)`` with ``z = ln(L/d)/s``. It never
    reaches zero while the line is not seen, so no reserve is released for it; with
    ``log_sd`` 0 it is ``total - done``.
    """
    if log_sd <= 0.0:
        return total - done
    if done <= 0.0:
        return total
    z = (math.log(total) - math.log(done)) / log_sd
    below = normal_cdf(z)
    if below < 1e-300:
        return total * log_sd / (log_sd - z)
    mean_done = done * math.exp(0.5 * log_sd * log_sd) * normal_cdf(z - log_sd) / below
    return max(total - mean_done, 0.0)


@jit
def safety_reserve_m(
    margin: float, believed_d_prime_m: float, remaining_s: float, spurt_horizon_s: float
) -> float:
    """Reserve held back [m]: ``m_D D_hat0 min(1, T_rem / T_spurt)``, released linearly in
    believed remaining time over the last ``spurt_horizon_s`` seconds."""
    return margin * believed_d_prime_m * min(max(remaining_s, 0.0) / spurt_horizon_s, 1.0)


@jit
def reserve_feasible_speed_distance(
    critical_speed_mps: float, reserve_m: float, safety_m: float, remaining_m: float
) -> float:
    """Fastest constant metabolic speed [m/s] that covers ``remaining_m`` while spending
    exactly the reserve above the safety level.

    At constant ``e`` for ``T = s/e``, the spend is ``(e - CS) s/e = D - D_safe``, so
    ``e = CS / (1 - (D - D_safe)/s)``; when the spendable reserve exceeds the distance left
    the answer is unbounded (returned as infinity; the ceiling then limits recruitment).
    """
    spendable = reserve_m - safety_m
    if spendable >= remaining_m:
        return math.inf
    return critical_speed_mps / (1.0 - spendable / remaining_m)


@jit
def ceiling_held_speed_distance(
    critical_speed_mps: float, reserve_m: float, d_prime_m: float, v_max_mps: float,
    remaining_m: float,
) -> float:
    """Fastest constant metabolic speed [m/s] that the recruitment ceiling still allows at
    the line, ``remaining_m`` ahead.

    The ceiling falls with the reserve (:func:`governor.physiology.reserve.recruitment_ceiling`,
    ``v_ceil = CS + (v_max - CS) D/D'0``), so a runner who spends the whole reserve before
    the line can no longer hold any speed above CS there and fades. Holding ``e = CS + x``
    for ``s`` metres leaves ``D - x s/e``; the ceiling then still reaches ``e`` when
    ``D - x s/(CS + x) = D'0 x/(v_max - CS)``, the positive root of::

        D'0 x^2 + [D'0 CS + (v_max - CS)(s - D)] x - D (v_max - CS) CS = 0

    Far from the line this is far above the reserve-feasible speed; over the last few
    hundred metres it is the limit, and the speed it allows stays level to the line
    (Morton 1996's three-parameter model: exhaustion is where the ceiling meets the
    demand).
    """
    a = v_max_mps - critical_speed_mps
    if a <= 0.0 or d_prime_m <= 0.0:
        return critical_speed_mps
    reserve = max(reserve_m, 0.0)
    lin = d_prime_m * critical_speed_mps + a * (remaining_m - reserve)
    const = reserve * a * critical_speed_mps
    root = math.sqrt(lin * lin + 4.0 * d_prime_m * const)
    x = 2.0 * const / (lin + root) if lin > 0.0 else (root - lin) / (2.0 * d_prime_m)
    return critical_speed_mps + x


@jit
def ceiling_held_speed_time(
    critical_speed_mps: float, reserve_m: float, d_prime_m: float, v_max_mps: float,
    remaining_s: float,
) -> float:
    """:func:`ceiling_held_speed_distance` for a timed effort: ``CS + x`` held for
    ``remaining_s`` leaves ``D - x T``, and the ceiling still reaches it when
    ``x = D / (T + D'0/(v_max - CS))``."""
    a = v_max_mps - critical_speed_mps
    if a <= 0.0 or d_prime_m <= 0.0:
        return critical_speed_mps
    return critical_speed_mps + max(reserve_m, 0.0) / (max(remaining_s, 0.0) + d_prime_m / a)


@jit
def reserve_feasible_speed_falling_cs_distance(
    cs_now_mps: float, cs_end_mps: float, reserve_m: float, safety_m: float,
    remaining_m: float,
) -> float:
    """Fastest constant metabolic speed [m/s] that covers ``remaining_m`` while spending
    exactly the reserve above the safety level, when critical speed falls linearly from
    ``cs_now_mps`` to ``cs_end_mps`` on the way (durability: CS falls with the work done,
    which at constant speed grows linearly).

    At constant ``e`` the reserve is drawn only where ``e`` exceeds CS, at
    ``(e - CS(s))/e`` per metre. Faster than CS all the way (``e >= CS_now``), the spend is
    ``(e - mean CS) s/e``, as with a constant CS at the mean
    (:func:`reserve_feasible_speed_distance`). Between the two, the reserve is drawn only
    beyond the point where CS falls below ``e``, and the spend is
    ``s (e - CS_end)^2 / (2 e (CS_now - CS_end))``; setting it to ``D - D_safe = S`` gives
    ``e = CS_end + [S dCS + sqrt(S^2 dCS^2 + 2 s S dCS CS_end)] / s``. A runner who plans
    with the mean CS instead runs below CS early, where the reserve is full and the surplus
    is lost, and must slow later.
    """
    spendable = reserve_m - safety_m
    drop = cs_now_mps - cs_end_mps
    if drop > 1e-9 and spendable > 0.0:
        s = max(remaining_m, 1e-6)
        x = (spendable * drop
             + math.sqrt(spendable * spendable * drop * drop
                         + 2.0 * s * spendable * drop * cs_end_mps)) / s
        if x <= drop:
            return cs_end_mps + x
    return reserve_feasible_speed_distance(0.5 * (cs_now_mps + cs_end_mps), reserve_m,
                                           safety_m, remaining_m)


@jit
def reserve_feasible_speed_falling_cs_time(
    cs_now_mps: float, cs_end_mps: float, reserve_m: float, safety_m: float,
    remaining_s: float,
) -> float:
    """Timed form of :func:`reserve_feasible_speed_falling_cs_distance` [m/s]: over
    ``remaining_s`` with CS falling linearly from ``cs_now_mps`` to ``cs_end_mps``, the
    spend at constant ``e`` is ``(e - mean CS) T`` when ``e >= CS_now`` and
    ``T (e - CS_end)^2 / (2 dCS)`` below it, so ``e = CS_end + sqrt(2 S dCS / T)``."""
    spendable = reserve_m - safety_m
    drop = cs_now_mps - cs_end_mps
    T = max(remaining_s, 1e-6)
    if drop > 1e-9 and spendable > 0.0:
        x = math.sqrt(2.0 * spendable * drop / T)
        if x <= drop:
            return cs_end_mps + x
    return reserve_feasible_speed_time(0.5 * (cs_now_mps + cs_end_mps), reserve_m, safety_m, T)


@jit
def reserve_feasible_speed_time(
    critical_speed_mps: float, reserve_m: float, safety_m: float, remaining_s: float
) -> float:
    """Fastest constant metabolic speed [m/s] for a timed effort: ``CS + (D - D_safe)/T``,
    floored at zero."""
    return max(critical_speed_mps + (reserve_m - safety_m) / max(remaining_s, 1e-6), 0.0)


@jit
def thermal_feasible_speed_from_conductances(
    core_shown_c: float,
    limit_c: float,
    margin_c: float,
    decay: float,
    told_air_c: float,
    conductance_w_k: float,
    dry_w_k: float,
    sweat_w_k: float,
    skin_c: float,
    capacity_w: float,
    capacity_slope_w_k: float,
    mass_kg: float,
    flat_cost_j_kg_m: float,
    resting_w_kg: float,
) -> float:
    """Fastest metabolic speed [m/s] whose forecast core temperature at the believed end is
    ``margin_c`` below ``limit_c``, for :func:`heat_plan`: from the loss conductances
    [W/K], the humidity limit on evaporation linearised about the skin temperature
    ``skin_c`` (``capacity_w`` [W], ``capacity_slope_w_k`` [W/K], from
    :func:`governor.physiology.thermal.evaporative_capacity_w`) and the decay
    ``x = exp(-T_rem/tau)`` of the forecast.

    It inverts the end forecast ``Tss(e)(1 - x) + Tc x`` for the steady state ``Tss``. A
    core already above the target is held, not cooled: the target becomes the present
    core temperature. The largest heat ``H`` whose steady state stays at or below the
    target steady state ``T`` is the smallest over the pieces of the balance of
    :func:`governor.physiology.thermal.steady_core_limited_c`, each
    ``H = [A h_dry (T - Ta) + E(T)] / (1 + (A h_dry + dE/dTsk)/K)``, with the humidity
    piece and the no-evaporation piece combined by their maximum.
    """
    # already past the target: hold the core where it is rather than demand it cool
    target = max(limit_c - margin_c, core_shown_c)
    x = decay
    if x > 1.0 - 1e-9:
        return math.inf
    steady_max = (target - core_shown_c * x) / (1.0 - x)
    k = conductance_w_k
    dry = dry_w_k
    g = capacity_slope_w_k
    lost_dry = dry * (steady_max - told_air_c)
    evap = min(sweat_w_k * (steady_max - CORE_SET_POINT_C), MAX_SWEAT_POWER_W)
    # sweat (or the glands) limits: H = K q with q = H/K = Tc - Tsk
    q = (lost_dry + evap) / (k + dry)
    heat_max = k * q
    # that is the answer (the usual case) unless humid air takes less than ``evap`` from
    # skin at the temperature this heat leaves it (Tss - q); then the humidity piece, or
    # no evaporation at all
    if evap > 0.0 and evap > capacity_w + g * (steady_max - q - skin_c):
        heat_humid = (lost_dry + capacity_w + g * (steady_max - skin_c)) * k / (k + dry + g)
        heat_max = min(heat_max, max(heat_humid, lost_dry * k / (k + dry)))
    # heat H = m (C e + rest): e = (H - m rest) / (m C)
    return max((heat_max - mass_kg * resting_w_kg) / (mass_kg * flat_cost_j_kg_m), 0.0)


@inlined
def heat_plan(
    heat_w: float,
    core_shown_c: float,
    skin_c: float,
    sweating_factor: float,
    conductance_w_k: float,
    told_air_c: float,
    radiant_w: float,
    air_vapour_kpa: float,
    planned_speed_mps: float,
    present_speed_mps: float,
    headwind_mps: float,
    remaining_s: float,
    limit_c: float,
    margin_c: float,
    mass_kg: float,
    area_m2: float,
    sweat_gain_w_m2_k: float,
    clothing_clo: float,
) -> tuple[float, float]:
    """The governor's heat plan over what it believes remains: (mean forecast core
    temperature [degC], thermal-feasible metabolic speed [m/s]).

    The forecast is a first-order approach from the displayed core temperature
    ``core_shown_c`` to the steady state of the piecewise-linear balance
    (:func:`governor.physiology.thermal.steady_core_limited_c`) for heat ``heat_w`` [W]
    produced at the planned speed ``planned_speed_mps`` (the air speed that cools the skin
    is that plus ``headwind_mps``). The dry exchange uses the *told* air temperature;
    evaporation is regulatory sweating (``sweating_factor`` ``exp((Tsk - 34)/10.7)`` at the
    present skin) up to what the glands give and what the true air's vapour pressure
    ``air_vapour_kpa`` lets the skin lose. That limit is felt on the skin (wetness), not
    told. The approach has the time constant of the evaporation the forecast expects to
    achieve (:func:`governor.physiology.thermal.effective_sweat_conductance_w_k`): that of
    the sweat, unless humidity or the glands limit it, when the approach is slower.
    ``conductance_w_k`` is the core-to-skin conductance [W/K]. Radiant heat on the skin
    ``radiant_w`` [W] (the sun, felt) is planned for as the air warmer by
    ``radiant_w / (A h_dry)``, the sol-air temperature of the linear dry exchange.

    The thermal-feasible speed is the fastest whose forecast core at the believed end
    stays ``margin_c`` below ``limit_c`` (:func:`thermal_feasible_speed_from_conductances`).
    If that is slower than the planned speed, less air flows over the skin: convection and
    the humidity limit are re-evaluated at the air speed of the present pace (or of the
    speed found, if slower). In still air the speed found rises with air speed less steeply
    than air speed itself, so it lies between the present pace and the fixed point where
    the two agree, and the pace converges there. (Planning on the breeze of the planned
    speed, a runner held back by humid heat would overheat.) The forecast's metabolic power
    is ``m (C(0) e + rest)``: it ignores air resistance.
    """
    air_speed = abs(planned_speed_mps + headwind_mps)
    h_dry, h_evap = clothed_coefficients_w_m2(convective_coefficient_w_m2_k(air_speed),
                                              clothing_clo)
    dry = area_m2 * h_dry
    air_c = told_air_c + radiant_w / dry
    sweat = area_m2 * sweat_gain_w_m2_k * sweating_factor
    skin_vapour, skin_vapour_slope = skin_saturation_kpa(skin_c)
    capacity, capacity_slope = evaporative_capacity_from_saturation_w(
        skin_vapour, skin_vapour_slope, air_vapour_kpa, h_evap, area_m2)
    steady = steady_core_limited_c(heat_w, air_c, conductance_w_k, dry, sweat, skin_c,
                                   capacity, capacity_slope)
    sweat_eff = sweat
    if steady > steady_core_from_conductances_c(heat_w, air_c, conductance_w_k, dry, sweat):
        sweat_eff = effective_sweat_conductance_w_k(heat_w, air_c, conductance_w_k, dry,
                                                    sweat, steady)
    x = remaining_s / time_constant_from_conductances_s(mass_kg, dry, sweat_eff)
    decay = math.exp(-x)
    mean_core = mean_forecast_from_decay_c(core_shown_c, steady, x, decay)
    e_t = thermal_feasible_speed_from_conductances(
        core_shown_c, limit_c, margin_c, decay, air_c, conductance_w_k, dry, sweat, skin_c,
        capacity, capacity_slope, mass_kg, FLAT_COST_J_PER_KG_M, RESTING_METABOLIC_W_KG)
    if e_t < planned_speed_mps:
        h_dry_t, h_evap_t = clothed_coefficients_w_m2(
            convective_coefficient_w_m2_k(abs(min(present_speed_mps, e_t) + headwind_mps)),
            clothing_clo)
        capacity_t, slope_t = evaporative_capacity_from_saturation_w(
            skin_vapour, skin_vapour_slope, air_vapour_kpa, h_evap_t, area_m2)
        dry_t = area_m2 * h_dry_t
        e_t = thermal_feasible_speed_from_conductances(
            core_shown_c, limit_c, margin_c, decay, told_air_c + radiant_w / dry_t,
            conductance_w_k, dry_t, sweat, skin_c, capacity_t, slope_t, mass_kg,
            FLAT_COST_J_PER_KG_M, RESTING_METABOLIC_W_KG)
    return mean_core, e_t


@jit
def template_start_rpe(expected_duration_s: float, start_rpe: float, end_rpe: float) -> float:
    """Start level of the RPE template [CR10] for an effort expected to last
    ``expected_duration_s``: ``start_rpe`` for one hour, scaled as ``(3600 s / T)^0.1``
    (higher for short efforts, lower for long ones), at least one point below the end."""
    start = start_rpe * (3600.0 / max(expected_duration_s, 1.0)) ** 0.1
    return min(max(start, 1.0), end_rpe - 1.0)


@jit
def template_from_start(fraction_done: float, start: float, end_rpe: float) -> float:
    """The template [CR10] at a believed fraction of the effort, from its start level."""
    f = min(max(fraction_done, 0.0), 1.0)
    return start + (end_rpe - start) * f


@jit
def template_rpe(
    fraction_done: float, expected_duration_s: float, start_rpe: float, end_rpe: float
) -> float:
    """The expected RPE [CR10] at a believed fraction of an effort (Tucker 2009 template).

    Linear from a start level (:func:`template_start_rpe`) to ``end_rpe`` at the believed end
    (Joseph et al. 2008).
    """
    return template_from_start(
        fraction_done, template_start_rpe(expected_duration_s, start_rpe, end_rpe), end_rpe)


@jit
def perceptual_speed(
    metabolic_speed_mps: float,
    critical_speed_mps: float,
    template: float,
    rpe: float,
    gain_per_cr10_s: float,
    recruitment_tau_s: float,
) -> float:
    """Perceptually acceptable metabolic speed [m/s]: the present speed corrected by the gap
    between the template and perceived exertion, ``e + k CS (template - P) tau_R``.

    With recruitment following the command with lag ``tau_R``, speed then changes at
    ``k CS (template - P)`` per second: up while the runner feels better than the template,
    down while worse. The model passes the afferent drive P* (where perceived exertion is
    heading) as ``rpe``, so the correction anticipates the lag of perception and settles
    without oscillating. In a maximal effort it is one of three limits; in an RPE clamp it
    is the command.
    """
    return metabolic_speed_mps + gain_per_cr10_s * critical_speed_mps * (
        template - rpe
    ) * recruitment_tau_s


@jit
def hazard_score(rpe: float, fraction_remaining: float) -> float:
    """de Koning et al. 2011 hazard score: RPE x believed fraction of the effort remaining."""
    return rpe * min(max(fraction_remaining, 0.0), 1.0)
