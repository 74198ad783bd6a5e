"""The state vector and the right-hand side that assembles body, perception and brain.

Two worlds run side by side (``docs/model.md``). The body's states (distance, recruitment,
reserve, temperatures, heart rate, durability load) evolve with the truth: the real course,
air and reserve. Two belief states integrate what the runner is told: the displayed distance
and the perceived elapsed time. The governor (:mod:`governor.brain`) reads only beliefs:
what it is told, and what it senses through afferents (its reserve scaled by the afferent
gain, skin temperature and how well its sweat evaporates in the air's true humidity, which
no feedback states).

The right-hand side is one compiled function, :func:`evaluate`: the body's rates
(:func:`body_rates`), the beliefs (:func:`beliefs`), then the brain's command by the rule
of the protocol (:func:`maximal_command`, :func:`imposed_command`,
:func:`scheduled_command`). It writes the derivatives and a row of observed quantities
(speed, beliefs, the governor's three limits, ...). The compiled integrator and the scipy
reference both call it, so they integrate the same model.

Everything a scenario packs is one :class:`Inputs` (a named tuple of arrays, names and
meanings in :data:`INPUT_FIELDS`), the first of them the scalar vector: the runner's
parameters and the scenario's scalars of :data:`SCENARIO_SCALARS`, read by name through
:data:`X`. Positions come from those tables; none is kept by hand.
"""

from __future__ import annotations

import math
from collections import namedtuple

import numpy as np
from numba import njit

from governor._jit import inlined, jit
from governor.brain import (
    believed_reserve_m,
    ceiling_held_speed_distance,
    ceiling_held_speed_time,
    expected_remaining,
    expected_remaining_unseen_progress,
    hazard_score,
    heat_plan,
    naivety,
    perceptual_speed,
    reserve_feasible_speed_falling_cs_distance,
    reserve_feasible_speed_falling_cs_time,
    safety_reserve_m,
    template_from_start,
    template_rpe,
    template_start_rpe,
)
from governor.params import Params
from governor.perception import (
    afferent_drive_cr10,
    expectation_rate_per_s,
    external_feedback_cr10,
    perceived_drive_cr10,
    rpe_rate_per_s,
)
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
    absorbed_radiant_w,
    acclimatised_heat_terms,
    core_skin_conductance_w_k,
    heat_acclimatisation,
    heat_production_w,
    resting_core_temp_c,
    saturation_vapour_pressure_kpa,
    thermal_rates_from_vapour_c_per_s,
)
from governor.scenario import (
    END_RULES,
    FEEDBACK_FIELDS,
    IMPOSED,
    MAXIMAL,
    Course,
    Environment,
    Feedback,
    Modifiers,
)

GRAVITY_MPS2 = 9.81
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
    "expected_total",        # belief: the total (m or s) the plan was made for
)
N_STATE = len(STATE_NAMES)
S, R, D, TC, TSK, P, HR, L, SD, TP, XE = range(N_STATE)

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
    "believed_total",
    "afferent_drive_rpe",
    "perceived_drive_rpe",
    "expected_time_left_s",
)
N_AUX = len(AUX_NAMES)
(A_REC, A_V, A_E, A_RMAX, A_CSEFF, A_GRADE, A_AIRT, A_BREMD, A_BREMT, A_TOLD, A_CORESHOWN, A_DHAT,
 A_DSAFE, A_FRAC, A_TEMPLATE, A_HAZARD, A_ED, A_ET, A_EP, A_CMD, A_CSPLAN, A_EVAP, A_GAP,
 A_EXMARGIN, A_TOLMARGIN, A_BTOTAL, A_AFFERENT, A_DRIVE, A_TIMELEFT) = range(N_AUX)

# ---- packed inputs -----------------------------------------------------------------------
#: The scalars a scenario packs beside the runner's parameters: (name, unit, meaning). The
#: protocol's come from its ``packed()``.
SCENARIO_SCALARS = (
    ("surface_area_m2", "m^2", "body surface area (Du Bois & Du Bois 1916)"),
    ("air_cost_s2_m2", "s^2/m^2", "air-resistance coefficient of the metabolic speed"),
    ("afferent_gain", "-", "Modifiers.afferent_gain"),
    ("mental_fatigue", "CR10", "Modifiers.mental_fatigue"),
    ("governed", "1/0", "Modifiers.governor"),
    ("naivety", "0-1", "how naive the governor is, from Modifiers.experience"),
    ("heat_acclimatisation", "0-1", "how heat-acclimatised the runner is, from "
                                    "Modifiers.heat_acclimatisation_days"),
    ("clothing_clo", "clo", "Environment.clothing_clo"),
    ("has_pacer", "1/0", "a pacer runs (Feedback.pacer_factor)"),
    ("rule", "code", "the protocol's command rule: MAXIMAL, IMPOSED or SCHEDULED"),
    ("target_distance_m", "m", "distance at which the effort ends (a race); NaN: none"),
    ("set_duration_s", "s", "a time trial's duration or a time to exhaustion's limit"),
    ("imposed_speed_mps", "m/s", "the treadmill's speed; NaN: self-paced"),
    ("imposed_grade", "-", "the treadmill's grade; NaN: the course's"),
    ("settle_s", "s", "when self-paced speed has settled (an RPE clamp's speed floor)"),
    ("stop_fraction", "-", "the speed floor as a fraction of the settled speed"),
    ("natural_end_s", "s", "when the effort ends by itself; inf: on another rule"),
    ("limit_s", "s", "the protocol's time limit"),
    *((f"ends_on_{rule}", "1/0", f"ends by the rule {rule!r} (scenario.END_RULES)")
      for rule in END_RULES),
)
#: Names of the packed scalar vector: the parameters, then the scenario's scalars.
SCALAR_NAMES = Params.names() + tuple(n for n, _, _ in SCENARIO_SCALARS)
Scalars = namedtuple("Scalars", SCALAR_NAMES)
#: Position of each scalar in the packed vector, by name: ``p[X.critical_speed_mps]``. The
#: compiled code reads these as constants; the vector is one array, passed by reference.
X = Scalars(*range(len(SCALAR_NAMES)))

#: The arrays :func:`evaluate` reads: (name, meaning [unit]). Tables of several rows are
#: one 2-D array each, its rows named by :data:`ROWS` (fewer arrays make a cheaper call).
INPUT_FIELDS = (
    ("scalars", "the runner's parameters and the scenario's scalars, in the order of "
                "SCALAR_NAMES (index it with X)"),
    ("course", "the course by segment (rows: COURSE)"),
    ("air", "the air over time (rows: AIR)"),
    ("fb_t", "time from which each feedback row is in force [s]"),
    ("fb_v", "feedback rows: the FEEDBACK_FIELDS (flags 1/0, None NaN), then the RPE "
             "template's start in force [CR10]"),
    ("pacer", "the pacer's run (rows: PACER)"),
    ("breaks", "times the integrator lands on: feedback changes, schedule ends [s]"),
    ("schedule", "the protocol's schedule by part (rows: SCHEDULE)"),
    ("markers", "the km markers, from a first one at 0 (rows: MARKERS)"),
)
#: Rows of the 2-D inputs: (input, (row name, meaning [unit]), ...).
ROWS = (
    ("course", (("distance_m", "start of each segment [m]"), ("grade", "its grade [-]"))),
    ("air", (("time_s", "time [s]"), ("temperature_c", "air temperature [degC]"),
             ("vapour_kpa", "the air's vapour pressure [kPa]"),
             ("headwind_mps", "headwind [m/s]"),
             ("solar_w_m2", "radiant load: irradiance on a plane facing the source [W/m^2]"))),
    ("pacer", (("time_s", "the pacer's times [s]"), ("distance_m", "its distances [m]"))),
    ("schedule", (("end_s", "end of each part [s]"),
                  ("rpe", "its target RPE [CR10]; NaN: a target speed"),
                  ("speed_mps", "its target speed [m/s]; NaN: a target RPE"))),
    ("markers", (("true_m", "where each marker stands [m]"),
                 ("told_m", "the distance it says [m]"))),
)
_ROW_NAMES = {name: tuple(r for r, _ in rows) for name, rows in ROWS}
#: Row positions by name, read by the compiled code as constants: ``inp.air[AIR.vapour_kpa]``.
COURSE, AIR, PACER, SCHEDULE, MARKERS = (
    namedtuple(f"{name.title()}Rows", _ROW_NAMES[name])(*range(len(_ROW_NAMES[name])))
    for name in ("course", "air", "pacer", "schedule", "markers"))
Inputs = namedtuple("Inputs", [n for n, _ in INPUT_FIELDS])

# feedback table columns, by channel name
FB_SCALE = FEEDBACK_FIELDS.index("distance_scale")
FB_BDIST = FEEDBACK_FIELDS.index("believed_distance_m")
FB_BDUR = FEEDBACK_FIELDS.index("believed_duration_s")
FB_KNOWN = FEEDBACK_FIELDS.index("endpoint_known")
FB_SHOWN = FEEDBACK_FIELDS.index("distance_display")
FB_CLOCK = FEEDBACK_FIELDS.index("clock_rate")
FB_TOLD = FEEDBACK_FIELDS.index("told_temperature_c")
FB_OFFSET = FEEDBACK_FIELDS.index("core_temp_offset_c")
#: a derived column: the RPE template's start level while that feedback is in force
FB_TSTART = len(FEEDBACK_FIELDS)

# what the body computes for the brain, what the brain believes, what it decides
Body = namedtuple("Body", (
    "grade", "air_c", "vapour_kpa", "headwind_mps", "reserve_m", "cs_eff_mps", "r_max",
    "recruitment", "e_mps", "v_mps", "evaporation_w", "sweating_factor", "radiant_w",
    "drive_rpe"))
Beliefs = namedtuple("Beliefs", (
    "cs_mps", "d_prime_m", "reserve_m", "told_air_c", "core_shown_c", "displayed_m",
    "elapsed_s", "total", "drive_rpe"))
Decision = namedtuple("Decision", (
    "command_mps", "remaining_m", "remaining_s", "fraction_done", "template_rpe",
    "safety_reserve_m", "reserve_feasible_mps", "thermal_feasible_mps", "perceptual_mps",
    "planned_cs_mps", "pacer_gap_m", "exhaustion_margin_mps", "tolerance_margin_rpe",
    "hazard", "planned_total", "time_left_s"))


@jit
def believed_total(p, fb_v, k):
    """What a maximal effort is believed to be, with feedback row ``k`` in force:
    (believed total distance [m] (a race) or duration [s], expected duration [s]). With the
    endpoint unknown, a naive runner budgets for a longer effort
    (``unknown_endpoint_hedge``)."""
    naive = p[X.naivety]
    hedge = 1.0 if fb_v[k, FB_KNOWN] > 0.5 else 1.0 + p[X.unknown_endpoint_hedge] * naive
    if not math.isnan(p[X.target_distance_m]):
        total = (p[X.target_distance_m] if math.isnan(fb_v[k, FB_BDIST])
                 else fb_v[k, FB_BDIST]) * hedge
        return total, total / (p[X.critical_speed_mps] * (1.0 - p[X.naive_estimate_bias] * naive))
    total = (p[X.set_duration_s] if math.isnan(fb_v[k, FB_BDUR]) else fb_v[k, FB_BDUR]) * hedge
    return total, total


@jit
def believed_total_now(p, fb_v, k):
    """The total the runner is told with feedback row ``k`` in force, for the external
    feedback of perception: a maximal effort's believed total (:func:`believed_total`), an
    imposed pace's told duration [s]; NaN when nothing is told (an open-ended effort, a
    schedule)."""
    rule = int(p[X.rule])
    if rule == MAXIMAL:
        total, _ = believed_total(p, fb_v, k)
        return total
    if rule == IMPOSED:
        return fb_v[k, FB_BDUR]
    return math.nan


def pack(params: Params, protocol, course: Course, environment: Environment,
         feedback: Feedback, modifiers: Modifiers,
         pacer: tuple[np.ndarray, np.ndarray] | None) -> Inputs:
    """Pack a scenario into the :class:`Inputs` :func:`evaluate` takes. Pure: inputs are
    unchanged."""
    values = {n: float(getattr(params, n)) for n in Params.names()}
    values.update(
        surface_area_m2=body_surface_area_m2(params.body_mass_kg, params.height_m),
        air_cost_s2_m2=air_cost_coefficient(params.body_mass_kg, params.height_m),
        afferent_gain=float(modifiers.afferent_gain),
        mental_fatigue=float(modifiers.mental_fatigue),
        governed=1.0 if modifiers.governor else 0.0,
        naivety=naivety(modifiers.experience, params.experience_trials),
        clothing_clo=float(environment.clothing_clo),
        has_pacer=1.0 if pacer is not None else 0.0,
    )
    values.update(protocol.packed())
    # heat acclimatisation acts on the body's heat terms, which the governor knows too
    acclimatised = heat_acclimatisation(modifiers.heat_acclimatisation_days)
    values["heat_acclimatisation"] = acclimatised
    values["sweat_gain_w_m2_k"], values["heat_cs_loss_per_c"] = acclimatised_heat_terms(
        params.sweat_gain_w_m2_k, params.heat_cs_loss_per_c, acclimatised)
    scalars = np.array(Scalars(**values), dtype=float)

    course_d, course_g = course.grade_arrays()
    env = environment.arrays()
    segs = feedback.segments()
    fb_t = np.array([t for t, _ in segs], dtype=float)
    fb_v = np.full((len(segs), len(FEEDBACK_FIELDS) + 1), math.nan)
    for i, (_, row) in enumerate(segs):
        for j, name in enumerate(FEEDBACK_FIELDS):
            fb_v[i, j] = math.nan if row[name] is None else float(row[name])
        if protocol.rule == MAXIMAL:
            _, expected_s = believed_total(scalars, fb_v, i)
            fb_v[i, FB_TSTART] = template_start_rpe(expected_s, params.template_start_rpe,
                                                    params.template_end_rpe)
    # a fresh writable C-ordered copy of each table: a read-only or strided view would make
    # numba compile another signature
    pacer_rows = np.zeros((2, 1)) if pacer is None else np.array(pacer, dtype=float)
    end_s, rpe, speed = protocol.schedule()
    markers = np.concatenate([[0.0], feedback.km_markers_m])
    # the air's vapour pressure [kPa], from relative humidity and air temperature
    vapour = [rh * saturation_vapour_pressure_kpa(tc) for tc, rh in env[:, 1:3]]
    return Inputs(
        scalars=scalars,
        course=np.array([course_d, course_g], dtype=float),
        air=np.array([env[:, 0], env[:, 1], vapour, env[:, 3], env[:, 4]], dtype=float),
        fb_t=fb_t,
        fb_v=np.ascontiguousarray(fb_v),
        pacer=np.ascontiguousarray(pacer_rows),
        breaks=np.concatenate([fb_t, end_s[:-1]]),
        schedule=np.array([end_s, rpe, speed], dtype=float),
        markers=np.array([markers, 1000.0 * np.arange(markers.size)], dtype=float),
    )


#: The body's states that carry over from one effort to the next (a preload, a warm-up).
BODY_STATES = (R, D, TC, TSK, P, HR, L)


def initial_state(params: Params, environment: Environment, inputs: Inputs,
                  carried: np.ndarray | None = None) -> np.ndarray:
    """State at the start line: at rest, a full reserve, 37.0 degC core (lower when
    heat-acclimatised), skin between 33 degC and the air, resting heart rate, nothing
    perceived yet; or, given the final state ``carried`` of an effort just before, the body
    as that effort left it (:data:`BODY_STATES`). Beliefs start afresh: nothing done on the
    display or the clock, and the plan made for the total the runner is told at the start
    (from the packed ``inputs``)."""
    y = np.zeros(N_STATE)
    y[R] = 0.0
    y[D] = params.d_prime_m
    y[TC] = resting_core_temp_c(inputs.scalars[X.heat_acclimatisation])
    y[TSK] = min(max(33.0 + 0.2 * (environment.temperature_at(0.0) - 20.0), 30.0), 35.5)
    y[P] = 0.5
    y[HR] = params.heart_rate_rest_bpm
    if carried is not None:
        for i in BODY_STATES:
            y[i] = carried[i]
    # the plan is made for the total believed at the start: told, or the governor's own
    # prediction of how long it can hold an imposed pace
    dy, aux = np.empty(N_STATE), np.empty(N_AUX)
    evaluate(0.0, y, inputs, dy, aux)
    y[XE] = aux[A_BTOTAL] if aux[A_BTOTAL] > 0.0 else 0.0
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


#: Length of course over which the grade under the runner is taken [m]: about six steps.
GRADE_WINDOW_M = 10.0


@jit
def _grade_at(s: float, course_d: np.ndarray, course_g: np.ndarray) -> float:
    """The course's mean grade [-] over the ``GRADE_WINDOW_M`` centred on distance ``s``
    [m] (the first segment's grade before the line, the last one's beyond the end).

    A course given point by point has a kink in its grade at every point, which no road
    has. Taken over a window, the grade changes over a few steps instead, continuously in
    distance; a step in grade would make a fixed-step integration's result jump whenever
    one of its stages crosses a point, and a fit of a hilly log see those jumps as a rough
    misfit. The climb over the whole course is the same."""
    half = 0.5 * GRADE_WINDOW_M
    lo = s - half
    hi = s + half
    n = course_d.size
    i = np.searchsorted(course_d, lo, side="right") - 1
    if i < 0:
        i = 0
    total = 0.0
    x = lo
    while i + 1 < n and course_d[i + 1] < hi:
        total += course_g[i] * (course_d[i + 1] - x)
        x = course_d[i + 1]
        i += 1
    total += course_g[i] * (hi - x)
    return total / GRADE_WINDOW_M


# ---- the body: the truth -----------------------------------------------------------------
@inlined
def body_rates(t, y, inp, dy):
    """The body's rates in the true world: write d(state)/dt of distance, reserve, core and
    skin temperature, heart rate and durability load into ``dy``, and return what the brain
    senses and reads (a :class:`Body`, with the afferent drive of perceived exertion)."""
    p = inp.scalars
    if math.isnan(p[X.imposed_grade]):
        grade = _grade_at(y[S], inp.course[COURSE.distance_m], inp.course[COURSE.grade])
    else:
        grade = p[X.imposed_grade]
    air = inp.air
    if air.shape[1] > 1:
        air_c = _interp(t, air[AIR.time_s], air[AIR.temperature_c])
        vapour = _interp(t, air[AIR.time_s], air[AIR.vapour_kpa])
        wind = _interp(t, air[AIR.time_s], air[AIR.headwind_mps])
        sun = _interp(t, air[AIR.time_s], air[AIR.solar_w_m2])
    else:
        air_c = air[AIR.temperature_c, 0]
        vapour = air[AIR.vapour_kpa, 0]
        wind = air[AIR.headwind_mps, 0]
        sun = air[AIR.solar_w_m2, 0]
    mass = p[X.body_mass_kg]
    kair = p[X.air_cost_s2_m2]
    cs = p[X.critical_speed_mps]
    d0 = p[X.d_prime_m]
    vmax = p[X.v_max_mps]
    reserve = min(max(y[D], 0.0), d0)
    core = y[TC]
    skin = y[TSK]

    # blocked afferents also weaken the pressor reflex: less O2 reaches the muscle, so its
    # critical speed is lower (heart rate and the durability load still scale with the
    # runner's own CS)
    cs_muscle = cs
    if p[X.afferent_gain] < 1.0:
        cs_muscle = cs * (1.0 - p[X.pressor_cs_loss] * (1.0 - p[X.afferent_gain]))
    cs_eff = effective_critical_speed_mps(cs_muscle, core, p[X.heat_onset_c],
                                          p[X.heat_cs_loss_per_c], y[L],
                                          p[X.durability_loss_per_h])
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
    radiant = absorbed_radiant_w(sun, p[X.surface_area_m2])
    d_core, d_skin, evap, phi = thermal_rates_from_vapour_c_per_s(
        core, skin, heat_production_w(metabolic_w, work_w), metabolic_w, air_c, vapour,
        air_speed, mass, p[X.surface_area_m2], p[X.sweat_gain_w_m2_k], p[X.clothing_clo],
        radiant)
    drive = afferent_drive_cr10(e / cs_eff, 1.0 - reserve / d0, core, skin,
                                p[X.rpe_intensity_weight], p[X.rpe_depletion_weight],
                                p[X.rpe_core_weight], p[X.rpe_skin_weight], p[X.afferent_gain],
                                p[X.mental_fatigue])
    hr_ss = steady_heart_rate_bpm(e, cs, core, y[L], p[X.heart_rate_rest_bpm],
                                  p[X.heart_rate_max_bpm], p[X.heart_rate_baseline_bpm],
                                  p[X.heart_rate_at_cs_fraction], p[X.heart_rate_drift_bpm_per_c],
                                  p[X.heart_rate_drift_bpm_per_work_h])

    dy[S] = v
    dy[D] = d_balance_rate_mps(e, reserve, d0, cs_eff)
    dy[TC] = d_core
    dy[TSK] = d_skin
    dy[HR] = heart_rate_rate_bpm_per_s(y[HR], hr_ss, p[X.heart_rate_tau_rise_s],
                                       p[X.heart_rate_tau_fall_s])
    dy[L] = e / cs / 3600.0
    return Body(grade, air_c, vapour, wind, reserve, cs_eff, r_max, recruit, e, v, evap, phi,
                radiant, drive)


# ---- the brain: beliefs only ---------------------------------------------------------------
@inlined
def displayed_distance_m(y, inp, k):
    """The distance the runner believes done [m]: the integral of the displayed speed, or,
    with km markers, what the last marker passed says plus the displayed distance since it
    (the true distance since it times the displayed-distance scale). With no distance
    display, the median of dead reckoning: the true distance (since the last marker), the
    watch's scale not seen."""
    true_m = inp.markers[MARKERS.true_m]
    shown = inp.fb_v[k, FB_SHOWN] > 0.5
    if true_m.size == 1:
        # with no display, dead reckoning: its median is the true distance, not the watch's
        return y[SD] if shown else y[S]
    scale = inp.fb_v[k, FB_SCALE] if shown else 1.0
    i = np.searchsorted(true_m, y[S], side="right") - 1
    return inp.markers[MARKERS.told_m, i] + scale * (y[S] - true_m[i])


@inlined
def beliefs(y, inp, k, body):
    """What the governor believes (a :class:`Beliefs`): its critical speed and D' (biased
    low by naivety), its reserve (sensed through afferents), the told air and the displayed
    core temperature, the distance it believes done, the perceived elapsed time, the total
    it is told, and the drive of perceived exertion: the afferent drive plus the external
    feedback of that total against the one its plan expected."""
    p = inp.scalars
    fb_v = inp.fb_v
    nv = p[X.naivety]
    d0 = p[X.d_prime_m]
    d0_hat = d0 * (1.0 - p[X.naive_estimate_bias] * nv)
    told_c = body.air_c if math.isnan(fb_v[k, FB_TOLD]) else fb_v[k, FB_TOLD]
    total = believed_total_now(p, fb_v, k)
    drive = perceived_drive_cr10(
        body.drive_rpe, external_feedback_cr10(total, y[XE], p[X.rpe_surprise_gain]))
    return Beliefs(
        p[X.critical_speed_mps] * (1.0 - p[X.naive_estimate_bias] * nv),
        d0_hat,
        believed_reserve_m(body.reserve_m, d0, d0_hat, p[X.afferent_gain]),
        told_c,
        y[TC] + fb_v[k, FB_OFFSET],
        displayed_distance_m(y, inp, k),
        y[TP],
        total,
        drive,
    )


@inlined
def held_margin(p):
    """The fraction of D'0 the governor holds back [-]: the reserve margin, larger for a
    naive runner, at most 0.95."""
    return min(p[X.reserve_margin] * (1.0 + p[X.naive_margin_extra] * p[X.naivety]), 0.95)


@inlined
def planned_critical_speed(y, p, body, b, e_planned, v_planned, v_present, ahead_s,
                           load_ahead_h):
    """The critical speed the governor plans with now and at the believed end [m/s], and
    the thermal-feasible speed of its heat plan [m/s].

    The believed CS is lowered by the heat the governor forecasts over ``ahead_s`` (from the
    told air and the displayed core; a fraction ``heat_anticipation`` of the change
    expected) and by the durability load to come, ``load_ahead_h`` [h of work at CS], which
    it anticipates in full: a runner knows from training how long efforts wear them, where
    the heat of the day is a forecast. Both are sensed through afferents (a lower gain
    under-senses their cost). CS falls linearly with the load, so the plan's CS falls
    linearly from its present value to its value at the end."""
    w = p[X.heat_anticipation]
    gain = p[X.afferent_gain]
    mass = p[X.body_mass_kg]
    # the forecast judges the core against its limit, so it takes the skin blood flow of a
    # core at that limit (or the present core, if warmer), not the lower flow of a cooler
    # core: in cool air a constricted skin opens as the core warms
    conductance = core_skin_conductance_w_k(
        max(y[TC], p[X.core_temp_limit_c] - p[X.thermal_margin_c]), y[TSK],
        p[X.surface_area_m2])
    heat = mass * (FLAT_COST_J_PER_KG_M * still_air_cost_speed(e_planned, p[X.air_cost_s2_m2])
                   + RESTING_METABOLIC_W_KG)
    mean_core, e_t = heat_plan(
        heat, b.core_shown_c, y[TSK], body.sweating_factor, conductance, b.told_air_c,
        body.radiant_w, body.vapour_kpa, v_planned, v_present, body.headwind_mps, ahead_s,
        p[X.core_temp_limit_c], p[X.thermal_margin_c], mass, p[X.surface_area_m2],
        p[X.sweat_gain_w_m2_k], p[X.clothing_clo])
    plan_core = (1.0 - w) * b.core_shown_c + w * mean_core
    end_load = y[L] + load_ahead_h
    cs_now = effective_critical_speed_mps(b.cs_mps, plan_core, p[X.heat_onset_c],
                                          p[X.heat_cs_loss_per_c] * gain, y[L],
                                          p[X.durability_loss_per_h] * gain)
    cs_end = effective_critical_speed_mps(b.cs_mps, plan_core, p[X.heat_onset_c],
                                          p[X.heat_cs_loss_per_c] * gain, end_load,
                                          p[X.durability_loss_per_h] * gain)
    return cs_now, cs_end, e_t


@inlined
def maximal_command(t, y, inp, k, body, b):
    """The command of a maximal effort (a race or a time trial): the smallest of the
    reserve-feasible, thermal-feasible and perceptually acceptable speeds over what is
    believed to remain, or a pacer's speed while the runner stays with it."""
    p = inp.scalars
    fb_v = inp.fb_v
    e = body.e_mps
    v = body.v_mps
    cs_hat = b.cs_mps

    # what is left, as believed: with the end unknown, a belief with uncertainty (the
    # expected remainder of a lognormal total, given that it has not ended)
    total = b.total
    race = not math.isnan(p[X.target_distance_m])
    done = b.displayed_m if race else b.elapsed_s
    if fb_v[k, FB_KNOWN] < 0.5:
        left = expected_remaining(done, total, p[X.endpoint_uncertainty])
        frac = done / (done + left) if done + left > 0.0 else 0.0
    elif race and fb_v[k, FB_SHOWN] < 0.5:
        # the total is known, what is done is not: dead reckoning
        left = expected_remaining_unseen_progress(done, total, p[X.endpoint_uncertainty])
        frac = done / (done + left) if done + left > 0.0 else 0.0
    else:
        left = total - done
        frac = done / total
    if race:
        rem_m = max(left, 1.0)
        rem_s = rem_m / max(v, 0.5 * cs_hat)
    else:
        rem_s = max(left, 1.0)
        rem_m = rem_s * v

    # the governor's plan: CS lowered by the heat and the load it expects
    e_guess = max(e, cs_hat)
    # the durability load still to come: a race's is set by its distance (work at CS of
    # rem_m/CS seconds, whatever the pace); a timed effort's by its time at about CS
    if race:
        load_ahead_h = rem_m / p[X.critical_speed_mps] / 3600.0
    else:
        load_ahead_h = rem_s * (e_guess / p[X.critical_speed_mps]) / 3600.0
    cs_now, cs_end, e_t = planned_critical_speed(y, p, body, b, e_guess, max(v, e_guess), v,
                                                 rem_s, load_ahead_h)
    cs_plan = 0.5 * (cs_now + cs_end)
    d_safe = safety_reserve_m(held_margin(p), b.d_prime_m, rem_s, p[X.spurt_horizon_s])
    # spend the reserve above the held part by the believed end, with CS falling on the
    # way as the load grows, and no faster than the ceiling can still carry at that end
    if race:
        e_d = min(reserve_feasible_speed_falling_cs_distance(cs_now, cs_end, b.reserve_m,
                                                             d_safe, rem_m),
                  ceiling_held_speed_distance(cs_plan, b.reserve_m, b.d_prime_m,
                                              p[X.v_max_mps], rem_m))
    else:
        e_d = min(reserve_feasible_speed_falling_cs_time(cs_now, cs_end, b.reserve_m, d_safe,
                                                         rem_s),
                  ceiling_held_speed_time(cs_plan, b.reserve_m, b.d_prime_m, p[X.v_max_mps],
                                          rem_s))
    template = template_from_start(frac, fb_v[k, FB_TSTART], p[X.template_end_rpe])
    # the template limit acts on where perception is heading (the afferent drive), so it
    # anticipates the lag of perceived exertion and does not switch on and off
    e_p = perceptual_speed(e, cs_hat, template, b.drive_rpe, p[X.template_gain],
                           p[X.recruitment_tau_s])
    if p[X.governed] > 0.5:
        e_cmd = max(min(e_d, e_t, e_p), RACE_FLOOR_FRACTION * cs_hat)
    else:
        e_cmd = p[X.v_max_mps]
    # a pacer believed to run at the runner's best: the runner tries to stay with it
    gap = math.nan
    pacer_t = inp.pacer[PACER.time_s]
    pacer_s = inp.pacer[PACER.distance_m]
    if p[X.has_pacer] > 0.5 and t <= pacer_t[-1]:
        s_p = _interp(t, pacer_t, pacer_s)
        v_p = _interp(t + 0.5, pacer_t, pacer_s) - _interp(t - 0.5, pacer_t, pacer_s)
        gap = s_p - y[S]
        if gap < PACER_DROP_GAP_M:
            target = max(v_p + gap / PACER_CATCH_S, 0.0)
            e_cmd = metabolic_speed(target, body.grade, body.headwind_mps, p[X.air_cost_s2_m2])
    return Decision(e_cmd, rem_m, rem_s, frac, template, d_safe, e_d, e_t, e_p, cs_plan, gap,
                    1.0, 1.0, hazard_score(y[P], 1.0 - frac), b.total, 1.0)


@inlined
def imposed_command(t, y, inp, k, body, b):
    """The command at an imposed pace (time to exhaustion): the demand itself. The brain
    decides only when to stop, and stops by decision (Marcora 2008; Noakes 2004):

    - its plan expects to last until its sensed reserve above the reserve it holds is gone,
      at the critical speed it plans with (lowered by the heat it forecasts from the told
      air and the displayed core, and by the load it expects): ``t^ + (D^ - D_safe)/(e -
      CS_plan)`` on the clock it sees; a told duration caps it, and perceived exertion
      running ahead of its template shortens it in proportion to the headroom left
      (Tucker 2009). The expected total follows that plan with lag ``expectation_tau_s``,
      so a clock that runs slow lengthens the effort in true time (Morton 2009);
    - the template of perceived exertion rises over the expected duration to the most the
      runner is willing to give (``rpe_tolerated``): the runner stops when the clock
      reaches the expected duration, or when perceived exertion itself reaches that most.

    The held reserve is released only near a told end. The muscles' limit, the ceiling's
    margin above the demand, bounds both; with the governor off only it ends the effort
    (Morton's hyperbola)."""
    p = inp.scalars
    fb_v = inp.fb_v
    e_req = metabolic_speed(p[X.imposed_speed_mps], body.grade, body.headwind_mps,
                            p[X.air_cost_s2_m2])
    frac = 0.0
    rem_s = math.inf
    template = p[X.template_end_rpe]
    tol_margin = 1.0
    time_left = 1.0
    d_safe = 0.0
    cs_plan = b.cs_mps
    planned = b.total
    if p[X.governed] > 0.5:
        told_s = fb_v[k, FB_BDUR]
        told = not math.isnan(told_s)
        t_hat = b.elapsed_s
        willing = p[X.rpe_tolerated]
        # the plan: CS lowered by the heat and the load expected over what it expects
        # remains (the forecast of a race)
        ahead = max(y[XE] - t_hat, 1.0)
        cs_now, cs_end, _ = planned_critical_speed(
            y, p, body, b, e_req, body.v_mps, body.v_mps, ahead,
            ahead * (e_req / p[X.critical_speed_mps]) / 3600.0)
        cs_plan = 0.5 * (cs_now + cs_end)
        margin = held_margin(p)
        # with no end in sight the reserve held for it is kept; near a told end, released
        if told:
            d_safe = safety_reserve_m(margin, b.d_prime_m, max(told_s - t_hat, 0.0),
                                      p[X.spurt_horizon_s])
        else:
            d_safe = margin * b.d_prime_m
        planned = p[X.set_duration_s]
        if e_req > cs_plan:
            planned = min(t_hat + max(b.reserve_m - d_safe, 0.0) / (e_req - cs_plan), planned)
        if told:
            planned = min(planned, told_s)
        expected = max(y[XE], 1.0)
        frac = t_hat / expected
        template = template_rpe(frac, expected, p[X.template_start_rpe], willing)
        if b.drive_rpe > template and y[XE] > t_hat:
            # harder than the template says: the expected end comes sooner, in proportion
            # to the perceptual headroom left
            headroom = max(willing - b.drive_rpe, 0.0) / max(willing - template, 0.1)
            planned = min(planned, t_hat + max(y[XE] - t_hat, 0.0) * headroom)
        rem_s = max(y[XE] - t_hat, 0.0)
        tol_margin = willing - y[P]
        # a told end still ahead is the task: the runner goes on to it, if it can
        time_left = max(y[XE], told_s if told else -math.inf) - t_hat
    hazard = hazard_score(y[P], 1.0 - frac) if frac > 0.0 else 0.0
    return Decision(e_req, math.inf, rem_s, frac, template, d_safe, math.inf, math.inf,
                    math.inf, cs_plan, math.nan, p[X.v_max_mps] * body.r_max - e_req, tol_margin,
                    hazard, planned, time_left)


@inlined
def scheduled_command(t, y, inp, body, b):
    """The command of a schedule (an RPE clamp, a training session): in a part with a
    target RPE, the perceptually acceptable speed for it; in a part with a target pace,
    that pace (grade-adjusted: its flat-equivalent metabolic speed)."""
    p = inp.scalars
    end_s = inp.schedule[SCHEDULE.end_s]
    j = np.searchsorted(end_s, t, side="right")
    if j >= end_s.size:
        j = end_s.size - 1
    target_rpe = inp.schedule[SCHEDULE.rpe, j]
    if math.isnan(target_rpe):
        e_cmd = metabolic_speed(inp.schedule[SCHEDULE.speed_mps, j], 0.0, body.headwind_mps,
                                p[X.air_cost_s2_m2])
        template = p[X.template_end_rpe]
        e_p = math.inf
    else:
        e_cmd = perceptual_speed(body.e_mps, b.cs_mps, target_rpe, b.drive_rpe,
                                 p[X.template_gain], p[X.recruitment_tau_s])
        template = target_rpe
        e_p = e_cmd
    return Decision(e_cmd, math.inf, math.inf, 0.0, template, 0.0, math.inf, math.inf, e_p,
                    b.cs_mps, math.nan, 1.0, 1.0, 0.0, b.total, 1.0)


@njit(cache=True, error_model="numpy", _nrt=False)
def evaluate(t, y, inp, dy, aux):
    """Write d(state)/dt into ``dy`` and the observed quantities into ``aux``: the body's
    rates, then the brain's beliefs and its command by the protocol's rule."""
    p = inp.scalars
    k = _feedback_row(t, inp.fb_t)
    body = body_rates(t, y, inp, dy)
    # the belief states integrate what the runner is told
    dy[SD] = inp.fb_v[k, FB_SCALE] * body.v_mps
    dy[TP] = inp.fb_v[k, FB_CLOCK]
    b = beliefs(y, inp, k, body)
    dy[P] = rpe_rate_per_s(y[P], b.drive_rpe, p[X.rpe_tau_s])
    rule = int(p[X.rule])
    if rule == MAXIMAL:
        d = maximal_command(t, y, inp, k, body, b)
    elif rule == IMPOSED:
        d = imposed_command(t, y, inp, k, body, b)
    else:
        d = scheduled_command(t, y, inp, body, b)
    # the expected total follows the total the plan now holds
    dy[XE] = expectation_rate_per_s(d.planned_total, y[XE], p[X.expectation_tau_s])
    r_cmd = min(max(d.command_mps / p[X.v_max_mps], 0.0), body.r_max)
    dy[R] = (r_cmd - y[R]) / p[X.recruitment_tau_s]

    aux[A_REC] = body.recruitment
    aux[A_V] = body.v_mps
    aux[A_E] = body.e_mps
    aux[A_RMAX] = body.r_max
    aux[A_CSEFF] = body.cs_eff_mps
    aux[A_GRADE] = body.grade
    aux[A_AIRT] = body.air_c
    aux[A_BREMD] = d.remaining_m
    aux[A_BREMT] = d.remaining_s
    aux[A_TOLD] = b.told_air_c
    aux[A_CORESHOWN] = b.core_shown_c
    aux[A_DHAT] = b.reserve_m
    aux[A_DSAFE] = d.safety_reserve_m
    aux[A_FRAC] = min(max(d.fraction_done, 0.0), 1.0)
    aux[A_TEMPLATE] = d.template_rpe
    aux[A_HAZARD] = d.hazard
    aux[A_ED] = d.reserve_feasible_mps
    aux[A_ET] = d.thermal_feasible_mps
    aux[A_EP] = d.perceptual_mps
    aux[A_CMD] = r_cmd
    aux[A_CSPLAN] = d.planned_cs_mps
    aux[A_EVAP] = body.evaporation_w
    aux[A_GAP] = d.pacer_gap_m
    aux[A_EXMARGIN] = d.exhaustion_margin_mps
    aux[A_TOLMARGIN] = d.tolerance_margin_rpe
    aux[A_BTOTAL] = d.planned_total
    aux[A_AFFERENT] = body.drive_rpe
    aux[A_DRIVE] = b.drive_rpe
    aux[A_TIMELEFT] = d.time_left_s


__all__ = [
    "STATE_NAMES", "AUX_NAMES", "N_STATE", "N_AUX", "SCENARIO_SCALARS", "SCALAR_NAMES",
    "INPUT_FIELDS", "ROWS", "X", "COURSE", "AIR", "PACER", "SCHEDULE", "MARKERS", "Inputs",
    "GRADE_WINDOW_M", "pack",
    "initial_state", "evaluate",
]
