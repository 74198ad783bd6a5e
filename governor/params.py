"""Model parameters: one frozen dataclass whose field metadata is the single source of truth.

Every field carries its unit, bounds, a one-line meaning, a source and an identifiability
class, read by :meth:`Params.table`, by the fitter and by the documentation. Named sets
(:data:`RECREATIONAL`, :data:`TRAINED`, :data:`ELITE`) are values, not subclasses.

Identifiability classes (``docs/model.md``, Parameters):

``one_log``
    informed by any single log with speed (and heart rate for heart terms);
``maximal_log``
    informed by one log only if it holds a maximal effort (a race, a hard interval session);
``several_logs``
    needs several logs of different lengths or conditions;
``literature``
    fixed from the literature, not fitted;
``experiment``
    needs a manipulated experiment (deception, blinding, clamps) to be identified.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pandas is imported where a table is made
    import pandas as pd

IDENTIFIABILITY = ("one_log", "maximal_log", "several_logs", "literature", "experiment")


def _p(default, unit, lo, hi, meaning, source, ident):
    if ident not in IDENTIFIABILITY:
        raise ValueError(f"unknown identifiability class {ident!r}")
    return field(
        default=default,
        metadata={
            "unit": unit,
            "bounds": (lo, hi),
            "meaning": meaning,
            "source": source,
            "identifiability": ident,
        },
    )


def check_bounds(obj) -> None:
    """Raise ValueError for a field of the dataclass ``obj`` (declared with :func:`_p`) that
    is not a finite number inside its bounds."""
    for f in fields(obj):
        value = getattr(obj, f.name)
        lo, hi = f.metadata["bounds"]
        try:
            v = float(value)
        except (TypeError, ValueError):
            raise ValueError(f"{f.name} must be a number, got {value!r}") from None
        if not np.isfinite(v) or v < lo or v > hi:
            raise ValueError(
                f"{f.name} = {value!r} is outside its range [{lo}, {hi}] "
                f"{f.metadata['unit']}"
            )


def parameter_table(obj) -> pd.DataFrame:
    """The fields of the dataclass ``obj`` (declared with :func:`_p`) as a DataFrame: value,
    default, unit, bounds, meaning, source and identifiability class, indexed by name."""
    import pandas as pd

    rows = []
    for f in fields(obj):
        m = f.metadata
        rows.append({
            "name": f.name,
            "value": float(getattr(obj, f.name)),
            "default": float(f.default),
            "unit": m["unit"],
            "lower": m["bounds"][0],
            "upper": m["bounds"][1],
            "meaning": m["meaning"],
            "identifiability": m["identifiability"],
            "source": m["source"],
        })
    return pd.DataFrame(rows).set_index("name")


@dataclass(frozen=True)
class Params:
    """Parameters of one runner and their governor.

    Create a named set with :func:`dataclasses.replace` (or :meth:`replace`) to change a
    field; out-of-bounds values raise ``ValueError`` naming the field and its range.
    Defaults are those of :data:`TRAINED`.
    """

    # --- the body: aerobic and anaerobic capacity -----------------------------------------
    critical_speed_mps: float = _p(
        4.9, "m/s", 1.5, 7.5,
        "critical speed CS: highest speed with a metabolic steady state",
        "Smyth & Muniz-Pumares 2020 (CS from training logs: ~3.7 m/s recreational); "
        "Kordi et al. 2019 (~4.9 m/s trained)",
        "maximal_log",
    )
    d_prime_m: float = _p(
        200.0, "m", 30.0, 800.0,
        "D' : distance that can be covered above CS from a full reserve",
        "Smyth & Muniz-Pumares 2020; typical 120-250 m",
        "maximal_log",
    )
    v_max_mps: float = _p(
        8.0, "m/s", 4.0, 13.0,
        "maximal flat-equivalent metabolic speed at full recruitment (Morton ceiling at D'=D'0)",
        "Morton 1996 three-parameter critical-power model; ~8 m/s (our choice)",
        "maximal_log",
    )
    body_mass_kg: float = _p(
        70.0, "kg", 35.0, 150.0,
        "body mass (heat capacity, heat production, air resistance)",
        "user input; 70 kg reference adult",
        "literature",
    )
    height_m: float = _p(
        1.75, "m", 1.30, 2.20,
        "stature, for body surface area (Du Bois & Du Bois 1916)",
        "user input",
        "literature",
    )
    durability_loss_per_h: float = _p(
        0.04, "1/h", 0.0, 0.3,
        "fractional loss of CS per hour of work at CS (durability, long efforts)",
        "our choice: puts an elite marathon near 92 % of CS, as in the marathon/CS ratios of "
        "Smyth & Muniz-Pumares 2020",
        "several_logs",
    )
    # --- the body: heat ------------------------------------------------------------------
    sweat_gain_w_m2_k: float = _p(
        200.0, "W/m^2/K", 60.0, 500.0,
        "evaporative heat loss from regulatory sweating per degC of core temperature above 36.8",
        "Gagge et al. 1971/1986 use 170 g/m^2/h/K (~116 W/m^2/K); raised for trained, "
        "heat-exposed runners (our choice; steady core ~39.2 degC at 30-min race pace)",
        "several_logs",
    )
    heat_onset_c: float = _p(
        37.5, "degC", 37.0, 40.0,
        "core temperature above which effective CS falls with further heating",
        "our choice: cardiovascular strain of hyperthermia (Gonzalez-Alonso & Calbet 2003) "
        "starts within the usual exercise range",
        "experiment",
    )
    heat_cs_loss_per_c: float = _p(
        0.025, "1/degC", 0.0, 0.15,
        "fractional loss of effective CS per degC of core temperature above heat_onset_c",
        "our choice, calibrated to the 2-7 % heat cost of Castle et al. 2012 (target T1)",
        "experiment",
    )
    core_temp_limit_c: float = _p(
        40.0, "degC", 38.5, 41.5,
        "core temperature the governor will not plan to exceed",
        "Gonzalez-Alonso et al. 1999: exhaustion at ~40.1-40.2 degC regardless of start",
        "literature",
    )
    # --- the body: heart rate ------------------------------------------------------------
    heart_rate_rest_bpm: float = _p(
        50.0, "bpm", 30.0, 90.0, "resting heart rate", "typical trained adult", "one_log",
    )
    heart_rate_max_bpm: float = _p(
        190.0, "bpm", 150.0, 220.0, "maximal heart rate", "typical adult", "maximal_log",
    )
    heart_rate_baseline_bpm: float = _p(
        70.0, "bpm", 30.0, 150.0,
        "heart rate the exercising steady line gives at zero metabolic speed (its intercept; "
        "above resting heart rate, to which a standing runner returns only over minutes)",
        "our choice; lines fitted to ten real running logs put it at 60-135",
        "one_log",
    )
    heart_rate_at_cs_fraction: float = _p(
        0.90, "-", 0.50, 1.0,
        "steady heart rate at CS as a fraction of the rest-to-max range",
        "CS lies near 90 % of heart-rate reserve in trained runners (our choice); fitted to "
        "a training log with CS held, it also absorbs the runner's CS against the held one",
        "one_log",
    )
    heart_rate_tau_rise_s: float = _p(
        28.0, "s", 5.0, 300.0, "time constant of heart-rate rise",
        "HR kinetics time constants ~25-30 s (de Smet et al. 2016)", "one_log",
    )
    heart_rate_tau_fall_s: float = _p(
        40.0, "s", 5.0, 300.0, "time constant of heart-rate fall",
        "our choice: recovery is slower than onset; real logs fit 40-190 s", "one_log",
    )
    heart_rate_drift_bpm_per_c: float = _p(
        8.0, "bpm/degC", 0.0, 20.0,
        "cardiovascular drift: extra heart rate per degC of core temperature above 37",
        "our choice, of the size reported for exercise hyperthermia (Gonzalez-Alonso et al. "
        "1999)",
        "several_logs",
    )
    heart_rate_drift_bpm_per_work_h: float = _p(
        10.0, "bpm/h", 0.0, 40.0,
        "cardiovascular drift with work done, per hour of running at CS (the durability "
        "load L): heart rate rises and stroke volume falls over prolonged running even at a "
        "steady core temperature",
        "our choice, of the order of the rise over an hour of moderate running reviewed by "
        "Coyle & Gonzalez-Alonso 2001 (Exerc Sport Sci Rev 29:88-92)",
        "one_log",
    )
    # --- perception ----------------------------------------------------------------------
    rpe_intensity_weight: float = _p(
        4.0, "CR10", 0.5, 8.0,
        "afferent drive per unit of relative intensity e/CS_eff",
        "our choice: ~4 CR10 at CS when fresh (Borg 1998 CR10 anchors 'hard'-'very hard')",
        "one_log",
    )
    rpe_depletion_weight: float = _p(
        5.0, "CR10", 0.5, 10.0,
        "afferent drive from a fully spent reserve (1 - D/D'0 = 1)",
        "our choice: RPE near maximal at exhaustion (Joseph et al. 2008)",
        "maximal_log",
    )
    rpe_core_weight: float = _p(
        0.6, "CR10/degC", 0.0, 3.0,
        "afferent drive per degC of core temperature above 37.5",
        "our choice (thermal afferents, Tucker et al. 2004)",
        "experiment",
    )
    rpe_skin_weight: float = _p(
        0.2, "CR10/degC", 0.0, 3.0,
        "afferent drive per degC of mean skin temperature above 33",
        "our choice (skin temperature raises RPE from the start, Tucker et al. 2006)",
        "experiment",
    )
    rpe_tau_s: float = _p(
        20.0, "s", 2.0, 120.0, "time constant of perceived exertion",
        "our choice: perception follows the body within tens of seconds", "one_log",
    )
    rpe_surprise_gain: float = _p(
        1.0, "CR10", 0.0, 4.0,
        "external-feedback term: perceived exertion added per unit of ln(believed total / "
        "expected total) while a changed expectation is new (doubling it adds ~0.7 CR10)",
        "our choice; direction and timing from Baden et al. 2005 and Eston et al. 2012 (RPE "
        "rose within a minute at constant speed when a 10-min run became 20 min), size not "
        "fitted", "experiment",
    )
    expectation_tau_s: float = _p(
        300.0, "s", 10.0, 1800.0,
        "time constant over which a changed believed total becomes the expected one, and "
        "the surprise in perceived exertion fades",
        "our choice: the new duration becomes the plan within minutes (Baden et al. 2005); "
        "slow enough that a clock running slow lengthens a time to exhaustion "
        "(Morton 2009)",
        "experiment",
    )
    # --- the governor --------------------------------------------------------------------
    reserve_margin: float = _p(
        0.25, "-", 0.0, 0.6,
        "safety reserve m_D held as a fraction of D'0 until the believed end approaches",
        "our choice (~0.2); St Clair Gibson & Noakes 2004 (reserve kept at exhaustion)",
        "maximal_log",
    )
    spurt_horizon_s: float = _p(
        120.0, "s", 5.0, 600.0,
        "believed remaining time below which the safety reserve is released (end spurt)",
        "record 5000/10000 m races speed up over the last lap or two (Tucker et al. 2006): "
        "two laps of an elite race take about 120 s",
        "maximal_log",
    )
    heat_anticipation: float = _p(
        0.3, "-", 0.0, 1.0,
        "weight of the forecast (vs the present) core temperature in the governor's plan",
        "our choice; anticipatory regulation in heat (Tucker et al. 2004, 2006)",
        "experiment",
    )
    thermal_margin_c: float = _p(
        0.38, "degC", 0.0, 1.5,
        "margin below the core-temperature limit that the thermal plan keeps at the end",
        "our choice", "experiment",
    )
    template_start_rpe: float = _p(
        4.0, "CR10", 1.0, 8.0,
        "expected RPE at the start of a maximal effort of up to one hour (RPE template)",
        "Joseph et al. 2008: RPE ~5 of 10 at 20 % of 2.5-10 km; Tucker 2009",
        "experiment",
    )
    template_end_rpe: float = _p(
        10.0, "CR10", 7.0, 10.0,
        "expected RPE at the believed end of a maximal effort",
        "Joseph et al. 2008; Faulkner et al. 2008 (near maximal at the finish)",
        "literature",
    )
    template_gain: float = _p(
        0.2, "1/(CR10 s)", 0.001, 1.0,
        "rate of speed correction, as a fraction of CS per second, per CR10 point between the "
        "template and where perceived exertion is heading",
        "our choice: settles within a few seconds without oscillating",
        "experiment",
    )
    rpe_tolerated: float = _p(
        9.5, "CR10", 6.0, 10.0,
        "the most perceived exertion the runner is willing to give: an open-ended effort stops "
        "when perceived exertion, or the template of its expected duration, reaches it",
        "Marcora 2008; Marcora & Staiano 2010 (RPE maximal at exhaustion, 19-20 on Borg's "
        "6-20 scale); our choice within the top of CR10", "experiment",
    )
    pressor_cs_loss: float = _p(
        0.05, "-", 0.0, 0.5,
        "fraction of critical speed lost per unit of afferent gain below 1: blocked muscle "
        "afferents also weaken the exercise pressor reflex (ventilation, blood pressure), so "
        "less O2 reaches the muscle and its reserve drains faster",
        "Amann et al. 2011 (intrathecal fentanyl: peripheral fatigue 67 % faster, time to "
        "exhaustion at 80 % of peak power 6.8 vs 8.7 min); our choice of size", "experiment",
    )
    unknown_endpoint_hedge: float = _p(
        1.0, "-", 0.0, 4.0,
        "extra length a naive runner budgets for when the endpoint is unknown (1 = twice as long)",
        "our choice, sized to the first blind trial of Mauger et al. 2009",
        "experiment",
    )
    endpoint_uncertainty: float = _p(
        0.15, "-", 0.02, 0.5,
        "log-sd of the believed total when the endpoint is unknown: the remaining distance "
        "(or time) is a belief with this uncertainty, never a known number",
        "Weber fraction of interval timing and of distance estimation, ~0.1-0.2 "
        "(Grondin 2010); our choice within it", "experiment",
    )
    experience_trials: float = _p(
        1.0, "trials", 0.2, 10.0,
        "number of similar maximal efforts over which naive biases decay by 1/e",
        "Mauger et al. 2009: blind and informed groups matched by the fourth trial",
        "experiment",
    )
    naive_margin_extra: float = _p(
        0.3, "-", 0.0, 2.0,
        "relative increase of the safety margin in a runner with no experience of the effort",
        "our choice (Mauger et al. 2009: experience educates the governor)",
        "experiment",
    )
    naive_estimate_bias: float = _p(
        0.02, "-", 0.0, 0.2,
        "fraction by which a naive governor underestimates CS and D'0",
        "our choice (Mauger et al. 2009; Micklewright et al. 2010)",
        "experiment",
    )
    recruitment_tau_s: float = _p(
        1.0, "s", 0.5, 30.0, "lag of recruitment behind the governor's command",
        "our choice: recruitment follows the command within seconds", "literature",
    )

    def __post_init__(self) -> None:
        check_bounds(self)
        if self.v_max_mps <= self.critical_speed_mps:
            raise ValueError(
                f"v_max_mps ({self.v_max_mps}) must exceed critical_speed_mps "
                f"({self.critical_speed_mps})"
            )
        if self.heart_rate_max_bpm <= self.heart_rate_rest_bpm:
            raise ValueError("heart_rate_max_bpm must exceed heart_rate_rest_bpm")

    # ------------------------------------------------------------------------------------
    def replace(self, **changes) -> Params:
        """A copy with some fields changed (validated)."""
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, float]:
        """Field values as a plain dict."""
        return {f.name: float(getattr(self, f.name)) for f in fields(self)}

    @classmethod
    def names(cls) -> tuple[str, ...]:
        """Field names in declaration order."""
        return tuple(f.name for f in fields(cls))

    @classmethod
    def bounds(cls, name: str) -> tuple[float, float]:
        """(lower, upper) bounds of a field."""
        return cls._field(name).metadata["bounds"]

    @classmethod
    def unit(cls, name: str) -> str:
        """Unit of a field."""
        return cls._field(name).metadata["unit"]

    @classmethod
    def _field(cls, name: str):
        for f in fields(cls):
            if f.name == name:
                return f
        raise KeyError(f"Params has no field {name!r}")

    def table(self) -> pd.DataFrame:
        """All fields as a DataFrame: value, default, unit, bounds, meaning, source and
        identifiability class, indexed by name."""
        return parameter_table(self)


#: A recreational runner: CS 3.7 m/s (10 km in ~45-50 min), the mean of the training-log
#: estimates of Smyth & Muniz-Pumares 2020; D' 180 m; smaller top speed; less effective
#: sweating; higher resting heart rate.
RECREATIONAL = Params(
    critical_speed_mps=3.7,
    d_prime_m=180.0,
    v_max_mps=7.0,
    body_mass_kg=72.0,
    height_m=1.76,
    durability_loss_per_h=0.06,
    sweat_gain_w_m2_k=160.0,
    heart_rate_rest_bpm=60.0,
    heart_rate_max_bpm=188.0,
)

#: A trained club runner: CS 4.9 m/s (Kordi et al. 2019), D' 200 m (the defaults).
TRAINED = Params()

#: An elite distance runner: CS 6.32 m/s and D' 290 m give a 5000 m near 12:50 and a
#: 10 000 m near 26:40 with the governor's margins; light and small (57 kg, 1.70 m); durable
#: (CS falls 4.5 % per hour at CS, so a marathon is run near 92 % of CS, as in the
#: marathon/CS ratios of Smyth & Muniz-Pumares 2020) and well heat-adapted. Values chosen
#: to match the record races in ``governor/data/races`` (12:35-12:37 5000 m, 2:01:39
#: marathon), not measured on one athlete.
ELITE = Params(
    critical_speed_mps=6.32,
    d_prime_m=290.0,
    v_max_mps=9.5,
    body_mass_kg=57.0,
    height_m=1.70,
    durability_loss_per_h=0.045,
    sweat_gain_w_m2_k=240.0,
    heart_rate_rest_bpm=40.0,
    heart_rate_max_bpm=188.0,
)

NAMED_SETS = {"recreational": RECREATIONAL, "trained": TRAINED, "elite": ELITE}

__all__ = ["Params", "RECREATIONAL", "TRAINED", "ELITE", "NAMED_SETS", "IDENTIFIABILITY"]
