"""The state vector and the right-hand side that assembles body, perception and brain.

Two worlds run side by side (DESIGN §2). The body's states (distance, recruitment, reserve,
temperatures, heart rate, durability load) evolve with the truth: the real course, air and
reserve. Two belief states integrate what the runner is told: the displayed distance and the
perceived elapsed time. The governor (:mod:`governor.brain`) reads only beliefs: what it is
told, and what it senses through afferents (its reserve scaled by the afferent gain, skin
temperature and how well its sweat evaporates in the air's true humidity, which no feedback
states).

The right-hand side is one compiled function, :func:`evaluate`, that writes the derivatives
and a row of observed quantities (speed, beliefs, the governor's three limits, ...). The
compiled integrator and the scipy reference both call it, so they integrate the same model.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from governor._jit import jit
from governor.brain import (
    believed_reserve_m,
    hazard_score,
    naivety,
    perceptual_speed,
    reserve_feasible_speed_distance,
    reserve_feasible_speed_time,
    safety_reserve_m,
    template_from_start,
    template_rpe,
    template_start_rpe,
    thermal_feasible_speed_from_conductances,
)
from governor.params import Params
from governor.perception import afferent_drive_cr10, rpe_rate_per_s
from governor.physiology.energetics import (
    FLAT_COST_J_PER_KG_M,
    air_cost_coefficient,
    body_surface_area_m2,
    metabolic_speed,
    speed_from_metabolic,
    still_air_cost_speed,
)
from governor.physiology.heart import heart_rate_rate_bpm_per_s, steady_heart_rate_bpm
from governor.physiology.reserve import (
    d_balance_rate_mps,
    effective_critical_speed_mps,
    recruitment_ceiling,
)
from governor.physiology.thermal import (
    RESTING_METABOLIC_W_KG,
    clothed_coefficients_w_m2,
    convective_coefficient_w_m2_k,
    core_skin_conductance_w_k,
    effective_sweat_conductance_w_k,
    evaporative_capacity_from_saturation_w,
    heat_production_w,
    loss_conductances_from_phi_w_k,
    mean_forecast_from_decay_c,
    saturation_vapour_pressure_kpa,
    skin_saturation_kpa,
    steady_core_from_conductances_c,
    steady_core_limited_c,
    thermal_rates_from_vapour_c_per_s,
    time_constant_from_conductances_s,
)
from governor.scenario import (
    FEEDBACK_FIELDS,
    FIXED_RPE,
    RACE,
    TIME_TO_EXHAUSTION,
    TIME_TRIAL,
    TRAINING,
    Course,
    Environment,
    Feedback,
    Modifiers,
)

GRAVITY_MPS2 = 9.81
#: Core temperature [degC] at which the governor's heat forecast evaluates skin blood flow.
EXERCISE_CORE_C = 38.0
#: A runner more than this far behind a pacer has fallen off it [m].
PACER_DROP_GAP_M = 15.0
#: Time over which a runner closes a gap to the pacer [s].
PACER_CATCH_S = 10.0
#: In a maximal effort the governor never commands less than this fraction of CS [-]:
#: a racing runner slows, but does not stop to recover (our choice).
RACE_FLOOR_FRACTION = 0.4

# ---- state vector ----------------------------------------------------------------------
STATE_NAMES = (
    "distance_m",         # s    true distance covered
    "recruitment_drive",  # R    recruitment the governor drives (lags its command)
    "reserve_m",          # D    D' balance
    "core_temp_c",        # Tc
    "skin_temp_c",        # Tsk
    "rpe",                # P    perceived exertion, CR10
    "heart_rate_bpm",     # HR
    "work_h",             # L    durability load: hours of work at CS
    "displayed_distance_m",  # belief: integral of displayed speed
    "believed_elapsed_s",    # belief: perceived clock
)
N_STATE = len(STATE_NAMES)
S, R, D, TC, TSK, P, HR, L, SD, TP = range(N_STATE)

# ---- observed quantities (one row per time) ---------------------------------------------
AUX_NAMES = (
    "recruitment",  # effective: the drive, capped by the reserve's ceiling [0-1]
    "speed_mps",
    "metabolic_speed_mps",
    "recruitment_ceiling",
    "critical_speed_eff_mps",
    "grade",
    "air_temp_c",
    "believed_remaining_distance_m",
    "believed_remaining_s",
    "told_temp_c",
    "displayed_core_temp_c",
    "believed_reserve_m",
    "safety_reserve_m",
    "believed_fraction_done",
    "template_rpe",
    "hazard_score",
    "reserve_feasible_mps",
    "thermal_feasible_mps",
    "perceptual_mps",
    "recruitment_command",
    "planned_critical_speed_mps",
    "evaporation_w",
    "pacer_gap_m",
    "exhaustion_margin_mps",
    "tolerance_margin_rpe",
)
N_AUX = len(AUX_NAMES)
(A_REC, A_V, A_E, A_RMAX, A_CSEFF, A_GRADE, A_AIRT, A_BREMD, A_BREMT, A_TOLD, A_CORESHOWN, A_DHAT,
 A_DSAFE, A_FRAC, A_TEMPLATE, A_HAZARD, A_ED, A_ET, A_EP, A_CMD, A_CSPLAN, A_EVAP, A_GAP,
 A_EXMARGIN, A_TOLMARGIN) = range(N_AUX)

# ---- packed parameter vector -------------------------------------------------------------
PARAM_NAMES = Params.names()
_I = {name: i for i, name in enumerate(PARAM_NAMES)}
CS_ = _I["critical_speed_mps"]
DP_ = _I["d_prime_m"]
VMAX_ = _I["v_max_mps"]
MASS_ = _I["body_mass_kg"]
DUR_ = _I["durability_loss_per_h"]
KSW_ = _I["sweat_gain_w_m2_k"]
HON_ = _I["heat_onset_c"]
HK_ = _I["heat_cs_loss_per_c"]
TLIM_ = _I["core_temp_limit_c"]
HRR_ = _I["heart_rate_rest_bpm"]
HRM_ = _I["heart_rate_max_bpm"]
HRF_ = _I["heart_rate_at_cs_fraction"]
HRTU_ = _I["heart_rate_tau_rise_s"]
HRTD_ = _I["heart_rate_tau_fall_s"]
HRD_ = _I["heart_rate_drift_bpm_per_c"]
WE_ = _I["rpe_intensity_weight"]
WD_ = _I["rpe_depletion_weight"]
WC_ = _I["rpe_core_weight"]
WS_ = _I["rpe_skin_weight"]
TAUP_ = _I["rpe_tau_s"]
MARGIN_ = _I["reserve_margin"]
SPURT_ = _I["spurt_horizon_s"]
ANTIC_ = _I["heat_anticipation"]
TMARG_ = _I["thermal_margin_c"]
T0_ = _I["template_start_rpe"]
T1_ = _I["template_end_rpe"]
TGAIN_ = _I["template_gain"]
TTOL_ = _I["template_tolerance_rpe"]
HEDGE_ = _I["unknown_endpoint_hedge"]
NEXP_ = _I["experience_trials"]
NMARG_ = _I["naive_margin_extra"]
NBIAS_ = _I["naive_estimate_bias"]
TAUR_ = _I["recruitment_tau_s"]
_NP = len(PARAM_NAMES)
# derived and scenario scalars after the parameters
X_AREA = _NP
X_KAIR = _NP + 1
X_GAIN = _NP + 2
X_MENTAL = _NP + 3
X_EXPER = _NP + 4
X_GOV = _NP + 5
X_KIND = _NP + 6
X_DIST = _NP + 7
X_DURATION = _NP + 8
X_SPEED = _NP + 9
X_PGRADE = _NP + 10
X_RPE = _NP + 11
X_HASPACER = _NP + 12
X_NAIVE = _NP + 13
X_CLO = _NP + 14
N_PACKED = _NP + 15

# feedback table columns
FB_SCALE, FB_BDIST, FB_BDUR, FB_KNOWN, FB_CLOCK, FB_TOLD, FB_OFFSET, FB_PACER = range(
    len(FEEDBACK_FIELDS)
)
#: a derived column: the RPE template's start level while that feedback is in force
FB_TSTART = len(FEEDBACK_FIELDS)


@jit
def believed_total(kind, p, fb_v, k):
    """What a race or time trial is believed to be, with feedback row ``k`` in force:
    (believed total distance [m] or duration [s], expected duration [s]). With the endpoint
    unknown, a naive runner budgets for a longer effort (``unknown_endpoint_hedge``)."""
    naive = p[X_NAIVE]
    hedge = 1.0 if fb_v[k, FB_KNOWN] > 0.5 else 1.0 + p[HEDGE_] * naive
    if kind == RACE:
        total = (p[X_DIST] if math.isnan(fb_v[k, FB_BDIST]) else fb_v[k, FB_BDIST]) * hedge
        return total, total / (p[CS_] * (1.0 - p[NBIAS_] * naive))
    total = (p[X_DURATION] if math.isnan(fb_v[k, FB_BDUR]) else fb_v[k, FB_BDUR]) * hedge
    return total, total


def pack(params: Params, protocol, course: Course, environment: Environment,
         feedback: Feedback, modifiers: Modifiers, pacer: tuple[np.ndarray, np.ndarray] | None):
    """Pack a scenario into the arrays :func:`evaluate` takes. Pure: inputs are unchanged."""
    p = np.zeros(N_PACKED)
    p[:_NP] = [float(getattr(params, n)) for n in PARAM_NAMES]
    p[X_AREA] = body_surface_area_m2(params.body_mass_kg, params.height_m)
    p[X_KAIR] = air_cost_coefficient(params.body_mass_kg, params.height_m)
    p[X_GAIN] = modifiers.afferent_gain
    p[X_MENTAL] = modifiers.mental_fatigue
    p[X_EXPER] = modifiers.experience
    p[X_GOV] = 1.0 if modifiers.governor else 0.0
    p[X_KIND] = protocol.kind
    p[X_DIST] = getattr(protocol, "distance_m", math.nan)
    p[X_DURATION] = getattr(protocol, "duration_s", math.nan)
    if protocol.kind == TIME_TO_EXHAUSTION:
        p[X_DURATION] = protocol.time_limit_s
    p[X_SPEED] = getattr(protocol, "speed_mps", math.nan)
    p[X_PGRADE] = getattr(protocol, "grade", 0.0) if protocol.kind == TIME_TO_EXHAUSTION else 0.0
    p[X_RPE] = getattr(protocol, "rpe", math.nan)
    p[X_HASPACER] = 1.0 if pacer is not None else 0.0
    p[X_NAIVE] = naivety(modifiers.experience, params.experience_trials)
    p[X_CLO] = environment.clothing_clo

    course_d, course_g = course.grade_arrays()
    env = environment.arrays()
    segs = feedback.segments()
    fb_t = np.array([t for t, _ in segs], dtype=float)
    fb_v = np.full((len(segs), len(FEEDBACK_FIELDS) + 1), math.nan)
    for i, (_, values) in enumerate(segs):
        for j, name in enumerate(FEEDBACK_FIELDS):
            x = values[name]
            fb_v[i, j] = math.nan if x is None else float(x)
        if protocol.kind in (RACE, TIME_TRIAL):
            _, expected_s = believed_total(protocol.kind, p, fb_v, i)
            fb_v[i, FB_TSTART] = template_start_rpe(expected_s, params.template_start_rpe,
                                                    params.template_end_rpe)
    if pacer is None:
        pacer_t, pacer_s = np.zeros(1), np.zeros(1)
    else:
        # fresh writable copies: a read-only view would make numba compile a new signature
        pacer_t, pacer_s = (np.array(a, dtype=float, order="C") for a in pacer)
    if protocol.kind == TRAINING:
        seg_end = np.cumsum([s.duration_s for s in protocol.segments]).astype(float)
        seg_kind = np.array([0.0 if s.target_rpe is not None else 1.0 for s in protocol.segments])
        seg_val = np.array([s.target_rpe if s.target_rpe is not None else s.target_speed_mps
                            for s in protocol.segments], dtype=float)
    else:
        seg_end, seg_kind, seg_val = np.zeros(1), np.zeros(1), np.zeros(1)
    return (
        p,
        np.ascontiguousarray(course_d),
        np.ascontiguousarray(course_g),
        np.ascontiguousarray(env[:, 0]),
        np.ascontiguousarray(env[:, 1]),
        # the air's vapour pressure [kPa], from relative humidity and air temperature
        np.array([rh * saturation_vapour_pressure_kpa(tc) for tc, rh in env[:, 1:3]]),
        np.ascontiguousarray(env[:, 3]),
        fb_t,
        np.ascontiguousarray(fb_v),
        pacer_t,
        pacer_s,
        seg_end,
        seg_kind,
        seg_val,
    )


def initial_state(params: Params, environment: Environment) -> np.ndarray:
    """Resting state at the start line: full reserve, 37.0 degC core, skin between 33 degC
    and the air, resting heart rate, nothing perceived yet."""
    y = np.zeros(N_STATE)
    y[R] = 0.0
    y[D] = params.d_prime_m
    y[TC] = 37.0
    y[TSK] = min(max(33.0 + 0.2 * (environment.temperature_at(0.0) - 20.0), 30.0), 35.5)
    y[P] = 0.5
    y[HR] = params.heart_rate_rest_bpm
    return y


@jit
def _feedback_row(t: float, fb_t: np.ndarray) -> int:
    k = 0
    for i in range(fb_t.size):
        if fb_t[i] <= t:
            k = i
    return k


@jit
def _interp(x: float, xp: np.ndarray, fp: np.ndarray) -> float:
    """Linear interpolation of one value, held constant outside ``xp`` (as np.interp), with
    no allocation."""
    n = xp.size
    if x <= xp[0]:
        return fp[0]
    if x >= xp[n - 1]:
        return fp[n - 1]
    i = np.searchsorted(xp, x, side="right") - 1
    w = (x - xp[i]) / (xp[i + 1] - xp[i])
    return fp[i] + w * (fp[i + 1] - fp[i])


@jit
def _grade_at(s: float, course_d: np.ndarray, course_g: np.ndarray) -> float:
    i = np.searchsorted(course_d, s, side="right") - 1
    if i < 0:
        i = 0
    return course_g[i]


@njit(cache=True, error_model="numpy", _nrt=False)
def evaluate(t, y, p, course_d, course_g, env_t, env_temp, env_vapour, env_wind, fb_t, fb_v,
             pacer_t, pacer_s, seg_end, seg_kind, seg_val, dy, aux):
    """Write d(state)/dt into ``dy`` and the observed quantities into ``aux``.

    The body (truth) and the brain (beliefs) are computed in turn; see the module docstring.
    """
    # ---------------- inputs at this time and place -------------------------------------
    k = _feedback_row(t, fb_t)
    kind = int(p[X_KIND])
    if kind == TIME_TO_EXHAUSTION:
        grade = p[X_PGRADE]
    else:
        grade = _grade_at(y[S], course_d, course_g)
    if env_t.size > 1:
        air_c = _interp(t, env_t, env_temp)
        vapour = _interp(t, env_t, env_vapour)
        wind = _interp(t, env_t, env_wind)
    else:
        air_c = env_temp[0]
        vapour = env_vapour[0]
        wind = env_wind[0]
    mass = p[MASS_]
    area = p[X_AREA]
    kair = p[X_KAIR]
    cs = p[CS_]
    d0 = p[DP_]
    vmax = p[VMAX_]
    reserve = min(max(y[D], 0.0), d0)
    core = y[TC]
    skin = y[TSK]
    rpe = y[P]

    # ---------------- the body ------------------------------------------------------------
    cs_eff = effective_critical_speed_mps(cs, core, p[HON_], p[HK_], y[L], p[DUR_])
    r_max = recruitment_ceiling(reserve, d0, cs_eff, vmax)
    recruit = min(max(y[R], 0.0), r_max)
    e = vmax * recruit
    v = speed_from_metabolic(e, grade, wind, kair)
    metabolic_w = mass * (FLAT_COST_J_PER_KG_M * still_air_cost_speed(e, kair)
                          + RESTING_METABOLIC_W_KG)
    work_w = 0.0
    if grade != 0.0:
        work_w = mass * GRAVITY_MPS2 * v * grade / math.sqrt(1.0 + grade * grade)
    air_speed = abs(v + wind)
    d_core, d_skin, evap, phi = thermal_rates_from_vapour_c_per_s(
        core, skin, heat_production_w(metabolic_w, work_w), metabolic_w, air_c, vapour,
        air_speed, mass, area,
        p[KSW_], p[X_CLO])
    drive = afferent_drive_cr10(e / cs_eff, 1.0 - reserve / d0, core, skin, p[WE_], p[WD_],
                                p[WC_], p[WS_], p[X_GAIN], p[X_MENTAL])
    hr_ss = steady_heart_rate_bpm(e, cs, core, p[HRR_], p[HRM_], p[HRF_], p[HRD_])

    dy[S] = v
    dy[D] = d_balance_rate_mps(e, reserve, d0, cs_eff)
    dy[TC] = d_core
    dy[TSK] = d_skin
    dy[P] = rpe_rate_per_s(rpe, drive, p[TAUP_])
    dy[HR] = heart_rate_rate_bpm_per_s(y[HR], hr_ss, p[HRTU_], p[HRTD_])
    dy[L] = e / cs / 3600.0
    dy[SD] = fb_v[k, FB_SCALE] * v
    dy[TP] = fb_v[k, FB_CLOCK]

    # ---------------- the brain: beliefs only ---------------------------------------------
    nv = p[X_NAIVE]
    cs_hat = cs * (1.0 - p[NBIAS_] * nv)
    d0_hat = d0 * (1.0 - p[NBIAS_] * nv)
    d_hat = believed_reserve_m(reserve, d0, d0_hat, p[X_GAIN])
    margin = min(p[MARGIN_] * (1.0 + p[NMARG_] * nv), 0.95)
    told_c = air_c if math.isnan(fb_v[k, FB_TOLD]) else fb_v[k, FB_TOLD]
    core_shown = core + fb_v[k, FB_OFFSET]
    # the forecast assumes exercising blood flow (core at least 38 degC), not resting flow
    conductance = core_skin_conductance_w_k(max(core, EXERCISE_CORE_C), skin, area)
    displayed = y[SD]
    t_hat = y[TP]
    governed = p[X_GOV] > 0.5
    w = p[ANTIC_]

    e_d = math.inf
    e_t = math.inf
    e_p = math.inf
    d_safe = 0.0
    frac = 0.0
    rem_s = math.inf
    rem_m = math.inf
    template = p[T1_]
    cs_plan = cs_hat
    ex_margin = 1.0
    tol_margin = 1.0
    gap = math.nan

    # what is left, as believed
    if kind == RACE:
        total_m, _ = believed_total(kind, p, fb_v, k)
        rem_m = max(total_m - displayed, 1.0)
        rem_s = rem_m / max(v, 0.5 * cs_hat)
        frac = displayed / total_m
    elif kind == TIME_TRIAL:
        total_s, _ = believed_total(kind, p, fb_v, k)
        rem_s = max(total_s - t_hat, 1.0)
        rem_m = rem_s * v
        frac = t_hat / total_s

    if kind == RACE or kind == TIME_TRIAL:
        # the governor's plan: CS lowered by the heat and the load it expects
        e_guess = max(e, cs_hat)
        v_guess = max(v, e_guess)
        heat_guess = mass * (FLAT_COST_J_PER_KG_M * still_air_cost_speed(e_guess, kair)
                              + RESTING_METABOLIC_W_KG)
        air_guess = abs(v_guess + wind)
        dry, sweat = loss_conductances_from_phi_w_k(air_guess, phi, area, p[KSW_], p[X_CLO])
        # how well sweat evaporates is felt on the skin (wetness), not told: the humidity
        # limit uses the true air's vapour pressure and the present skin temperature, the
        # dry heat exchange the told air temperature
        skin_vapour, skin_vapour_slope = skin_saturation_kpa(skin)
        _, h_evap = clothed_coefficients_w_m2(convective_coefficient_w_m2_k(air_guess),
                                              p[X_CLO])
        capacity, capacity_slope = evaporative_capacity_from_saturation_w(
            skin_vapour, skin_vapour_slope, vapour, h_evap, area)
        steady = steady_core_limited_c(heat_guess, told_c, conductance, dry, sweat, skin,
                                       capacity, capacity_slope)
        # mean and end of a first-order approach to the steady state over what is left, with
        # the time constant of the evaporation the governor expects to achieve: that of its
        # sweat unless humidity (or the glands) limit it, when the approach is slower
        sweat_eff = sweat
        if steady > steady_core_from_conductances_c(heat_guess, told_c, conductance, dry,
                                                    sweat):
            sweat_eff = effective_sweat_conductance_w_k(heat_guess, told_c, conductance, dry,
                                                        sweat, steady)
        x = rem_s / time_constant_from_conductances_s(mass, dry, sweat_eff)
        decay = math.exp(-x)
        mean_core = mean_forecast_from_decay_c(core_shown, steady, x, decay)
        plan_core = (1.0 - w) * core_shown + w * mean_core
        plan_load = y[L] + w * 0.5 * rem_s * (e_guess / cs) / 3600.0
        # heat and load are sensed through afferents: a lower gain under-senses their cost
        cs_plan = effective_critical_speed_mps(cs_hat, plan_core, p[HON_], p[HK_] * p[X_GAIN],
                                               plan_load, p[DUR_] * p[X_GAIN])
        d_safe = safety_reserve_m(margin, d0_hat, rem_s, p[SPURT_])
        if kind == RACE:
            e_d = reserve_feasible_speed_distance(cs_plan, d_hat, d_safe, rem_m)
        else:
            e_d = reserve_feasible_speed_time(cs_plan, d_hat, d_safe, rem_s)
        e_t = thermal_feasible_speed_from_conductances(
            core_shown, p[TLIM_], p[TMARG_], decay, told_c, conductance, dry, sweat, skin,
            capacity, capacity_slope, mass, FLAT_COST_J_PER_KG_M, RESTING_METABOLIC_W_KG)
        # slower than the plan's guess, less air flows over the skin: convection and the
        # humidity limit on evaporation are re-evaluated at the air speed of the present
        # pace (or of the speed just found, if slower). In still air the speed found rises
        # with air speed less steeply than air speed itself, so it lies between the present
        # pace and the fixed point where the two agree, and the pace converges there.
        # (Planning on the breeze of running at CS, a runner held back by humid heat would
        # overheat.)
        if e_t < v_guess:
            h_dry_t, h_evap_t = clothed_coefficients_w_m2(
                convective_coefficient_w_m2_k(abs(min(v, e_t) + wind)), p[X_CLO])
            capacity_t, slope_t = evaporative_capacity_from_saturation_w(
                skin_vapour, skin_vapour_slope, vapour, h_evap_t, area)
            e_t = thermal_feasible_speed_from_conductances(
                core_shown, p[TLIM_], p[TMARG_], decay, told_c, conductance, area * h_dry_t,
                sweat, skin, capacity_t, slope_t, mass, FLAT_COST_J_PER_KG_M,
                RESTING_METABOLIC_W_KG)
        template = template_from_start(frac, fb_v[k, FB_TSTART], p[T1_])
        # the template limit acts on where perception is heading (the afferent drive), so it
        # anticipates the lag of perceived exertion and does not switch on and off
        e_p = perceptual_speed(e, cs_hat, template, drive, p[TGAIN_], p[TAUR_])
        if governed:
            e_cmd = max(min(e_d, e_t, e_p), RACE_FLOOR_FRACTION * cs_hat)
        else:
            e_cmd = vmax
        # a pacer believed to run at the runner's best: the runner tries to stay with it
        if kind == RACE and p[X_HASPACER] > 0.5 and t <= pacer_t[-1]:
            s_p = _interp(t, pacer_t, pacer_s)
            v_p = _interp(t + 0.5, pacer_t, pacer_s) - _interp(t - 0.5, pacer_t, pacer_s)
            gap = s_p - y[S]
            if gap < PACER_DROP_GAP_M:
                target = max(v_p + gap / PACER_CATCH_S, 0.0)
                e_cmd = metabolic_speed(target, grade, wind, kair)
    elif kind == TIME_TO_EXHAUSTION:
        e_req = metabolic_speed(p[X_SPEED], grade, wind, kair)
        e_cmd = e_req
        ex_margin = vmax * r_max - e_req
        if governed:
            cs_now = effective_critical_speed_mps(cs_hat, core_shown, p[HON_], p[HK_], y[L],
                                                  p[DUR_])
            if math.isnan(fb_v[k, FB_BDUR]):
                # its own prediction from the CS hyperbola, at most the protocol's limit
                expected_s = p[X_DURATION]
                if e_req > cs_now:
                    expected_s = min(t_hat + d_hat / (e_req - cs_now), expected_s)
            else:
                expected_s = fb_v[k, FB_BDUR]
            frac = t_hat / max(expected_s, 1.0)
            rem_s = max(expected_s - t_hat, 0.0)
            template = template_rpe(frac, expected_s, p[T0_], p[T1_])
            tol_margin = template + p[TTOL_] - rpe
    else:
        if kind == FIXED_RPE:
            target_rpe = p[X_RPE]
            target_speed = math.nan
        else:
            j = np.searchsorted(seg_end, t, side="right")
            if j >= seg_end.size:
                j = seg_end.size - 1
            if seg_kind[j] < 0.5:
                target_rpe = seg_val[j]
                target_speed = math.nan
            else:
                target_rpe = math.nan
                target_speed = seg_val[j]
        if math.isnan(target_speed):
            template = target_rpe
            e_cmd = perceptual_speed(e, cs_hat, target_rpe, drive, p[TGAIN_], p[TAUR_])
            e_p = e_cmd
        else:
            e_cmd = metabolic_speed(target_speed, 0.0, wind, kair)

    r_cmd = min(max(e_cmd / vmax, 0.0), r_max)
    dy[R] = (r_cmd - y[R]) / p[TAUR_]

    # ---------------- observed quantities -------------------------------------------------
    aux[A_REC] = recruit
    aux[A_V] = v
    aux[A_E] = e
    aux[A_RMAX] = r_max
    aux[A_CSEFF] = cs_eff
    aux[A_GRADE] = grade
    aux[A_AIRT] = air_c
    aux[A_BREMD] = rem_m
    aux[A_BREMT] = rem_s
    aux[A_TOLD] = told_c
    aux[A_CORESHOWN] = core_shown
    aux[A_DHAT] = d_hat
    aux[A_DSAFE] = d_safe
    aux[A_FRAC] = min(max(frac, 0.0), 1.0)
    aux[A_TEMPLATE] = template
    aux[A_HAZARD] = hazard_score(rpe, 1.0 - frac) if frac > 0.0 or kind <= TIME_TRIAL else 0.0
    aux[A_ED] = e_d
    aux[A_ET] = e_t
    aux[A_EP] = e_p
    aux[A_CMD] = r_cmd
    aux[A_CSPLAN] = cs_plan
    aux[A_EVAP] = evap
    aux[A_GAP] = gap
    aux[A_EXMARGIN] = ex_margin
    aux[A_TOLMARGIN] = tol_margin


__all__ = [
    "STATE_NAMES", "AUX_NAMES", "N_STATE", "N_AUX", "pack", "initial_state", "evaluate",
]
