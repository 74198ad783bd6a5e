"""A runner's profile from many logs: what their own data say, what they leave loose, and
which run would pin that down.

Critical speed and D' come from the mean-maximal curve of the runner's best efforts across
all logs, as Smyth & Muniz-Pumares (2020) read them from training data: the fastest
grade-adjusted time over each of 400, 800, 1000, 1500, 3000 and 5000 m, and the straight
line distance = D' + CS t through them. The model is then fitted to all the logs at once
from there (:func:`governor.fit`): the heart-rate terms from every log with heart rate;
critical speed, D' and the reserve margin from the races among them; heat sensitivity where
the runs' air temperatures are known and differ; durability where a race is long. Each
parameter is listed with what informed it (the logs' shares of its Fisher information,
:attr:`FitResult.information_`) or, where nothing did, with the run that would.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from governor.fitting.fit import HEART_PARAMS, Z_95, FitResult, _unique_names, fit, prepare_logs
from governor.io.metrics import grade_adjusted_speed
from governor.params import TRAINED, Params
from governor.units import format_duration, format_pace

__all__ = ["PROFILE_DISTANCES_M", "best_efforts", "critical_speed_from_efforts", "profile",
           "RunnerProfile"]

#: Target distances of the best-effort curve [m] (Smyth & Muniz-Pumares 2020, MSSE 52:2637:
#: 400, 800, 1000, 1500, 3000 and 5000 m from runners' raw training data).
PROFILE_DISTANCES_M: tuple[float, ...] = (400.0, 800.0, 1000.0, 1500.0, 3000.0, 5000.0)
#: Distance over which the best-effort curve takes the grade [m] (Smyth & Muniz-Pumares 2020
#: had time, distance and elevation every 100 m).
GRADE_SPAN_M = 100.0
#: Spread of known air temperatures across the logs [degC] from which heat sensitivity is
#: fitted: below it the model's core temperatures hardly differ from run to run, and the
#: heart rate's drift per degree of core cannot be told from its drift with work done.
HEAT_SPREAD_C = 5.0
#: A race this long [s] informs durability, the model's loss of critical speed per hour of
#: work at CS (:attr:`Params.durability_loss_per_h`): at its default 4 %/h the loss by the
#: end of a shorter race is under 6 % of CS and trades off against D' and the margin; 90 min
#: is a half marathon for most club runners. Our choice.
LONG_RACE_S = 5400.0
#: A parameter whose standard error exceeds this share of its value is "loose" [-].
LOOSE_RELATIVE_ERROR = 0.25
#: Terms the best-effort line reads, and their keys in its result.
CURVE_TERMS = {"critical_speed_mps": "critical_speed", "d_prime_m": "d_prime"}
#: The speed terms' meaning, for the report.
SPEED_TERMS = ("critical_speed_mps", "d_prime_m", "reserve_margin", "durability_loss_per_h",
               "heat_cs_loss_per_c")


def best_efforts(activity: pd.DataFrame,
                 distances_m: Sequence[float] = PROFILE_DISTANCES_M) -> pd.Series:
    """Fastest time [s] over each grade-adjusted distance in one cleaned activity.

    The distance covered is the integral of the grade-adjusted speed (the flat distance of
    equal metabolic cost, Minetti et al. 2002), so a hilly effort counts at its flat worth.
    The grade is taken over :data:`GRADE_SPAN_M` of distance, the resolution of the data
    Smyth & Muniz-Pumares (2020) read best efforts from (a 1 s grade is mostly elevation
    noise); without distance and elevation the activity's own grade is used. A window
    never spans a gap between sessions; a pause inside a session counts, at its speed, as
    on a stopwatch. NaN for a distance longer than any session.
    """
    gas = np.nan_to_num(grade_adjusted_speed(_span_graded(activity)).to_numpy(dtype=float),
                        nan=0.0)
    gas = np.clip(gas, 0.0, None)
    t = (pd.DatetimeIndex(activity.index).as_unit("ns").asi8 / 1e9 if len(activity)
         else np.zeros(0))
    breaks = np.flatnonzero(np.diff(t) > 1.5) + 1 if t.size else np.zeros(0, dtype=int)
    out = {}
    for d in distances_m:
        best = math.inf
        for piece in np.split(gas, breaks) if gas.size else []:
            cum = np.concatenate([[0.0], np.cumsum(piece)])  # 1 Hz: metres at each second
            if cum[-1] < d:
                continue
            start = np.arange(cum.size)
            end = np.searchsorted(cum, cum + d, side="left")
            ok = end < cum.size
            i, j = start[ok], end[ok]
            # the fraction of the last second needed to reach d
            step = cum[j] - cum[j - 1]
            frac = np.where(step > 0, (cum[i] + d - cum[j - 1]) / np.where(step > 0, step, 1),
                            1.0)
            best = min(best, float(np.min(j - 1 - i + frac)))
        out[float(d)] = best if math.isfinite(best) else math.nan
    series = pd.Series(out, name="best_time_s", dtype=float)
    series.index.name = "distance_m"
    return series


def _span_graded(activity: pd.DataFrame) -> pd.DataFrame:
    """The activity with its grade taken over :data:`GRADE_SPAN_M` of distance."""
    if "distance_m" not in activity or "elevation_m" not in activity:
        return activity
    d = activity["distance_m"].to_numpy(dtype=float)
    z = activity["elevation_m"].to_numpy(dtype=float)
    ok = np.isfinite(d) & np.isfinite(z)
    if ok.sum() < 2 or np.any(np.diff(d[ok]) < 0):
        return activity
    half = 0.5 * GRADE_SPAN_M
    grade = (np.interp(d + half, d[ok], z[ok]) - np.interp(d - half, d[ok], z[ok])) / (2 * half)
    return activity.assign(grade=np.where(np.isfinite(d), grade, np.nan))


def critical_speed_from_efforts(distances_m, times_s) -> dict | None:
    """Critical speed [m/s] and D' [m] from best efforts: least squares of
    distance = D' + CS t (Smyth & Muniz-Pumares 2020), with standard errors from the
    scatter about the line and the 95 % intervals of Student's t with n - 2 degrees of
    freedom. None with under three efforts."""
    d = np.asarray(distances_m, dtype=float)
    t = np.asarray(times_s, dtype=float)
    ok = np.isfinite(d) & np.isfinite(t) & (t > 0)
    d, t = d[ok], t[ok]
    n = d.size
    if n < 3:
        return None
    x = np.column_stack([t, np.ones(n)])
    coef, *_ = np.linalg.lstsq(x, d, rcond=None)
    resid = d - x @ coef
    dof = n - 2
    s2 = float(resid @ resid) / dof
    cov = s2 * np.linalg.inv(x.T @ x)
    se = np.sqrt(np.diag(cov))
    q = float(stats.t.ppf(0.975, dof))
    cs, dp = float(coef[0]), float(coef[1])
    return {"critical_speed_mps": cs, "d_prime_m": dp,
            "critical_speed_stderr": float(se[0]), "d_prime_stderr": float(se[1]),
            "critical_speed_interval": (cs - q * se[0], cs + q * se[0]),
            "d_prime_interval": (dp - q * se[1], dp + q * se[1]),
            "correlation": float(cov[0, 1] / (se[0] * se[1])), "n": n,
            "r_squared": 1.0 - float(resid @ resid) / float(np.sum((d - d.mean()) ** 2))}


@dataclass
class RunnerProfile:
    """What a runner's logs say about them.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per parameter: ``value``, ``stderr``, ``low`` and ``high`` (95 %), ``unit``,
        ``status`` ("fitted", "loose", "held"), ``informed_by`` (the logs that carry most of
        its information, with their shares) and ``to_pin_down`` (the run that would).
    curve : pandas.DataFrame
        The best-effort curve: per target distance the best time [s] in every log, the best
        over all logs, its pace, and the log it came from.
    curve_fit : dict or None
        Critical speed and D' from the curve (:func:`critical_speed_from_efforts`).
    fit : FitResult
        The model fitted to all the logs.
    notes : list of str
        What the profile assumed or could not use.
    """

    table: pd.DataFrame
    curve: pd.DataFrame
    curve_fit: dict | None
    fit: FitResult
    notes: list[str] = field(default_factory=list)

    @property
    def params_(self) -> Params | None:
        """The fitted parameters (None when the fit failed)."""
        return self.fit.params_

    def report(self) -> str:
        """The profile in words: the curve, every parameter with what informed it, and the
        runs that would pin down what is still loose."""
        lines = ["Runner profile from "
                 f"{len(self.fit.logs)} log(s): "
                 + ", ".join(f"{Path(str(log.name)).name} ({log.effort})"
                             for log in self.fit.logs)]
        lines.append("")
        lines.append("Best efforts (grade-adjusted; Smyth & Muniz-Pumares 2020):")
        for d, row in self.curve.iterrows():
            if np.isfinite(row["best_time_s"]):
                lines.append(f"  {d:6.0f} m  {format_duration(row['best_time_s']):>8s}  "
                             f"{row['pace']}  from {Path(str(row['log'])).name}")
            else:
                lines.append(f"  {d:6.0f} m  none")
        cf = self.curve_fit
        if cf is not None:
            lo, hi = cf["critical_speed_interval"]
            dlo, dhi = cf["d_prime_interval"]
            lines.append(f"  line through {cf['n']} efforts: CS {cf['critical_speed_mps']:.2f} "
                         f"m/s ({format_pace(cf['critical_speed_mps'])}), 95 % "
                         f"{lo:.2f}-{hi:.2f}; D' {cf['d_prime_m']:.0f} m, 95 % "
                         f"{dlo:.0f}-{dhi:.0f} (r = {cf['correlation']:.2f})")
        lines.append("")
        lines.append(f"{'parameter':34s} {'value':>9s} {'95 %':>19s}  {'status':7s} "
                     "informed by")
        for name, row in self.table.iterrows():
            band = (f"{row['low']:.3g} to {row['high']:.3g}" if np.isfinite(row["low"])
                    else "")
            lines.append(f"{name:34s} {row['value']:9.4g} {band:>19s}  {row['status']:7s} "
                         f"{row['informed_by']}")
        loose = self.table[self.table["to_pin_down"] != ""]
        if len(loose):
            lines.append("")
            lines.append("To pin down what is still loose:")
            for name, row in loose.iterrows():
                lines.append(f"  {name}: {row['to_pin_down']}")
        if self.notes:
            lines.append("")
            lines += [f"note: {n}" for n in self.notes]
        return "\n".join(lines)


def profile(activities: Sequence, *, params: Params | None = None,
            effort: str | Sequence[str | None] | None = None,
            temperature_c: float | Sequence[float | None] | None = None,
            starts: int = 8, seed: int = 0) -> RunnerProfile:
    """A runner's profile from their logs.

    Parameters
    ----------
    activities
        The runner's activities (from :func:`governor.read_log`): training runs, interval
        sessions, races.
    params
        Values held where the logs say nothing (default :data:`governor.TRAINED`).
    effort, temperature_c
        As for :func:`governor.fit`: per log or one for all; None detects the effort and
        assumes 15 degC. Only temperatures given here count as known for heat sensitivity.
    starts, seed
        As for :func:`governor.fit`.

    Returns
    -------
    RunnerProfile
    """
    activities = list(activities)
    if not activities:
        raise ValueError("profile: no logs given")
    base = params if params is not None else TRAINED
    notes: list[str] = []
    logs, temps = prepare_logs(activities, effort, temperature_c, base, "profile")
    names = _unique_names(logs)
    # the best-effort curve
    per_log = pd.concat([best_efforts(a) for a in activities], axis=1, keys=names)
    best = per_log.min(axis=1)
    source = per_log.idxmin(axis=1, skipna=True) if best.notna().any() else None
    curve = per_log.copy()
    curve["best_time_s"] = best
    curve["pace"] = [format_pace(d / t) if np.isfinite(t) else "" for d, t in
                     zip(curve.index, best, strict=True)]
    curve["log"] = [source[d] if source is not None and np.isfinite(best[d]) else ""
                    for d in curve.index]
    curve_fit = critical_speed_from_efforts(curve.index.to_numpy(), best.to_numpy())
    start = base
    if curve_fit is not None:
        cs = float(np.clip(curve_fit["critical_speed_mps"], *Params.bounds("critical_speed_mps")))
        dp = float(np.clip(curve_fit["d_prime_m"], *Params.bounds("d_prime_m")))
        start = base.replace(critical_speed_mps=cs, d_prime_m=dp,
                             v_max_mps=max(base.v_max_mps, cs + 1.0))
    else:
        notes.append("fewer than three best efforts of 400-5000 m: critical speed and D' "
                     "start from the given values")
    # what the logs can inform
    races = [i for i, log in enumerate(logs) if log.effort == "race"]
    with_hr = [i for i, log in enumerate(logs) if log.has_heart_rate]
    known = [(i, float(tc)) for i, tc in enumerate(temps) if tc is not None]
    spread = (max(t for _, t in known) - min(t for _, t in known)) if len(known) >= 2 else 0.0
    race_spread = (max(temps[i] for i in races) - min(temps[i] for i in races)
                   if races and all(temps[i] is not None for i in races) else 0.0)
    long_race = any(logs[i].duration_s >= LONG_RACE_S for i in races)
    vary: list[str] = []
    if races:
        vary += ["critical_speed_mps", "d_prime_m", "reserve_margin"]
        if long_race:
            vary.append("durability_loss_per_h")
        if race_spread >= HEAT_SPREAD_C:
            vary.append("heat_cs_loss_per_c")
    if with_hr:
        vary += [nm for nm in HEART_PARAMS
                 if nm != "heart_rate_drift_bpm_per_c" or spread >= HEAT_SPREAD_C]
    if not vary:
        notes.append("no race and no heart rate: only the best-effort curve informs the "
                     "profile")
    result = fit(activities, params=start, vary=vary or ["critical_speed_mps"],
                 effort=[log.effort for log in logs], temperature_c=temps, starts=starts,
                 seed=seed)
    if not vary:
        result.warnings.append("the model was fitted to these logs' speed for critical "
                               "speed alone; the curve is the better reading")
    # the curve is a reading of CS and D' only where hard efforts made it
    hard = {nm for nm, log in zip(names, logs, strict=True) if log.effort != "training"}
    curve_maximal = bool(set(curve["log"]) & hard)
    if curve_fit is not None and not curve_maximal:
        notes.append("the best efforts all come from training runs: neither maximal nor on "
                     "the flat, so the curve's CS and D' are a start, not a reading (a race "
                     "or a hard interval session would make them one)")
    table = _table(result, curve_fit, start, logs, names, races, with_hr, spread,
                   race_spread, long_race, vary, curve_maximal)
    return RunnerProfile(table=table, curve=curve, curve_fit=curve_fit, fit=result,
                         notes=notes + [w for w in result.warnings])


#: What would pin down each parameter when the logs leave it loose or say nothing.
TO_PIN_DOWN = {
    "critical_speed_mps": "a race or time trial of 10-30 min (3-8 km), or hard efforts "
                          "over 400-800 m and 5 km in training",
    "d_prime_m": "a race of another length, at least twice as long or as short as those "
                 "given (a larger D' held back by a larger margin runs one race much alike)",
    "reserve_margin": "a race of another length, at least twice as long or as short as "
                      "those given",
    "durability_loss_per_h": "a race of 90 min or more (a half marathon or longer)",
    "heat_cs_loss_per_c": f"races in air at least {HEAT_SPREAD_C:g} degC apart, with the "
                          "temperatures given",
    "heart_rate_drift_bpm_per_c": f"runs in air at least {HEAT_SPREAD_C:g} degC apart with "
                                  "heart rate, with the temperatures given",
    "heart_rate_tau_fall_s": "a run with a stop or a fast-slow change (intervals)",
    "heart_rate_tau_rise_s": "a run with a fast start or intervals, with heart rate",
    "heart_rate_drift_bpm_per_work_h": "a long steady run (over 90 min) with heart rate",
}


def _informed_by(shares: pd.Series) -> str:
    top = shares[shares >= 0.1].sort_values(ascending=False)
    return ", ".join(f"{Path(str(nm)).name} {100 * s:.0f} %" for nm, s in top.items())


def _table(result: FitResult, curve_fit, start: Params, logs, names, races, with_hr, spread,
           race_spread, long_race, vary, curve_maximal: bool) -> pd.DataFrame:
    rows = {}
    durations = [logs[i].duration_s for i in races]
    shown = list(SPEED_TERMS) + list(HEART_PARAMS)
    fitted = result.params_ if result.params_ is not None else start
    for nm in shown:
        lo_b, hi_b = Params.bounds(nm)
        value = float(getattr(fitted, nm))
        se = float(result.stderr_.get(nm, math.nan)) if nm in result.varied else math.nan
        if nm in result.varied and np.isfinite(se):
            low, high = max(value - Z_95 * se, lo_b), min(value + Z_95 * se, hi_b)
            loose = se > LOOSE_RELATIVE_ERROR * max(abs(value), 1e-9)
            status = "loose" if loose else "fitted"
            informed = (_informed_by(result.information_[nm])
                        if nm in result.information_ else "")
        elif nm in CURVE_TERMS and nm not in result.varied and curve_fit is not None:
            # no race: the line through the best efforts is the reading
            key = CURVE_TERMS[nm]
            se = curve_fit[f"{key}_stderr"]
            low, high = curve_fit[f"{key}_interval"]
            status = "curve" if curve_maximal else "loose"
            informed = f"best-effort curve ({curve_fit['n']} efforts)"
        else:
            low = high = math.nan
            status = "held" if nm not in result.varied else "loose"
            informed = ""
        if nm in result.varied and nm in CURVE_TERMS and curve_fit is not None:
            informed = (informed + "; " if informed else "") + \
                f"best-effort curve start ({curve_fit['n']} efforts)"
        pin = ""
        if status not in ("fitted", "curve") or (nm == "d_prime_m" and not races):
            pin = TO_PIN_DOWN.get(nm, "")
            if nm == "critical_speed_mps" and status == "loose" and not races:
                pin = ("a race or time trial of 10-30 min, or a hard interval session: "
                       "the best efforts of easy runs are not maximal")
            if nm in ("d_prime_m", "reserve_margin") and not races:
                pin = ("a race (any distance from 3 km): the margin shows in races only, and "
                       "the curve's D' is what the runner spent, not what the governor "
                       "held back")
            if (nm in ("d_prime_m", "reserve_margin") and len(durations) > 1
                    and max(durations) >= 2 * min(durations)):
                pin = ("a shorter race, 1500 m to 3 km (D' is a larger share of the "
                       "distance there, and the reserve the margin holds shows as the end "
                       "spurt)")
            if nm.startswith("heart_rate") and not with_hr:
                pin = "runs with heart rate (a chest strap reads truest)"
            if nm == "heart_rate_drift_bpm_per_c" and status == "held" and with_hr:
                pin = TO_PIN_DOWN[nm] + f" (the known temperatures span {spread:.0f} degC)"
            if nm == "heat_cs_loss_per_c" and races and race_spread < HEAT_SPREAD_C:
                pin = TO_PIN_DOWN[nm]
            if nm == "durability_loss_per_h" and long_race and status == "loose":
                pin = "a second long race, or a longer one"
            if nm == "durability_loss_per_h" and not long_race:
                longest = max(durations, default=0.0)
                pin = (f"a race lasting {LONG_RACE_S / 60:.0f} min or more"
                       + (f" (the longest given lasted {longest / 60:.0f} min)"
                          if longest else ""))
        rows[nm] = {"value": value, "stderr": se, "low": low, "high": high,
                    "unit": Params.unit(nm),
                    "status": status, "informed_by": informed, "to_pin_down": pin}
    return pd.DataFrame.from_dict(rows, orient="index")
