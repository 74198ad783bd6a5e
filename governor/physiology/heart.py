"""Heart-rate kinetics: an observation model to compare with logged heart rate.

Heart rate feeds nothing else in the model: it is read off the body's state. The steady
heart rate is a line in the metabolic speed ``e`` (the model's own energetics: grade, air and
speed in one flat-equivalent speed) from an exercising baseline at ``e = 0`` to the heart
rate at CS, plus two cardiovascular drifts, one with core temperature and one with work done;
heart rate approaches it at first order, faster when rising than when falling.

The same kinetics run in the compiled model (:func:`heart_rate_rate_bpm_per_s`) and along a
saved trajectory (:func:`heart_rate_along_bpm`, which the fitter uses: speed does not depend
on heart rate, so its terms are fitted without simulating again).

References
----------
Coyle EF, Gonzalez-Alonso J (2001). Cardiovascular drift during prolonged exercise: new
perspectives. Exerc Sport Sci Rev 29:88-92.
de Smet D, Voet I, Stoop J, et al. (2016). Heart rate modelling as a potential physical
fitness assessment for runners and cyclists. Workshop on Large-scale Sport Analytics, KDD.
Gonzalez-Alonso J, Teller C, Andersen SL, et al. (1999). Influence of body temperature on
the development of fatigue during prolonged exercise in the heat. J Appl Physiol 86:1032-1039.
"""

from __future__ import annotations

import math

import numpy as np

from governor._jit import jit


@jit
def steady_heart_rate_bpm(
    metabolic_speed_mps: float,
    critical_speed_mps: float,
    core_temp_c: float,
    work_h: float,
    rest_bpm: float,
    max_bpm: float,
    baseline_bpm: float,
    at_cs_fraction: float,
    drift_bpm_per_c: float,
    drift_bpm_per_work_h: float,
) -> float:
    """Steady-state heart rate [bpm] at a metabolic speed [m/s].

    A line in relative intensity ``e/CS`` from ``baseline_bpm`` (not below rest) at ``e = 0`` to
    ``HR_cs = HR_rest + f_CS (HR_max - HR_rest)`` at CS; plus ``drift_bpm_per_c`` per degC of
    core temperature above 37 and ``drift_bpm_per_work_h`` per hour of work at CS done
    (``work_h``, the durability load); capped at HR_max.
    """
    rel = max(metabolic_speed_mps, 0.0) / critical_speed_mps
    at_cs = rest_bpm + at_cs_fraction * (max_bpm - rest_bpm)
    base = max(baseline_bpm, rest_bpm)
    hr = base + (at_cs - base) * rel
    hr += drift_bpm_per_c * max(core_temp_c - 37.0, 0.0) + drift_bpm_per_work_h * work_h
    return min(hr, max_bpm)


@jit
def heart_rate_rate_bpm_per_s(
    heart_rate_bpm: float, steady_bpm: float, tau_rise_s: float, tau_fall_s: float
) -> float:
    """First-order approach to the steady state [bpm/s] with separate rise and fall time
    constants: ``dHR/dt = (HR_ss - HR)/tau``."""
    tau = tau_rise_s if steady_bpm > heart_rate_bpm else tau_fall_s
    return (steady_bpm - heart_rate_bpm) / tau


@jit
def _along(time_s, e_mps, cs_mps, core_c, work_h, hr0_bpm, rest_bpm, max_bpm, baseline_bpm,
           at_cs_fraction, drift_bpm_per_c, drift_bpm_per_work_h, tau_rise_s, tau_fall_s):
    n = time_s.size
    out = np.empty(n)
    hr = hr0_bpm
    out[0] = hr
    for i in range(1, n):
        # the steady state over the step: at its midpoint, so the step is second-order
        e = 0.5 * (e_mps[i] + e_mps[i - 1])
        core = 0.5 * (core_c[i] + core_c[i - 1])
        work = 0.5 * (work_h[i] + work_h[i - 1])
        ss = steady_heart_rate_bpm(e, cs_mps, core, work, rest_bpm, max_bpm, baseline_bpm,
                                   at_cs_fraction, drift_bpm_per_c, drift_bpm_per_work_h)
        tau = tau_rise_s if ss > hr else tau_fall_s
        hr = ss + (hr - ss) * math.exp(-(time_s[i] - time_s[i - 1]) / tau)
        out[i] = hr
    return out


#: The parameters the heart rate along a trajectory reads, in the order of
#: :func:`heart_rate_terms`.
HEART_RATE_TERMS = ("critical_speed_mps", "heart_rate_rest_bpm", "heart_rate_max_bpm",
                    "heart_rate_baseline_bpm", "heart_rate_at_cs_fraction",
                    "heart_rate_drift_bpm_per_c", "heart_rate_drift_bpm_per_work_h",
                    "heart_rate_tau_rise_s", "heart_rate_tau_fall_s")


def heart_rate_terms(params) -> np.ndarray:
    """The values of :data:`HEART_RATE_TERMS` of a :class:`~governor.Params` [their units]."""
    return np.array([getattr(params, n) for n in HEART_RATE_TERMS], dtype=float)


def heart_rate_along_terms_bpm(time_s, metabolic_speed_mps, core_temp_c, work_h, terms,
                               start_bpm: float) -> np.ndarray:
    """:func:`heart_rate_along_bpm` with the parameters as a :data:`HEART_RATE_TERMS` vector
    (the fitter's inner loop: no Params is built per evaluation)."""
    cs, rest, hmax, base, f, dc, dw, rise, fall = (float(x) for x in terms)
    return _along(time_s, metabolic_speed_mps, cs, core_temp_c, work_h, float(start_bpm), rest,
                  hmax, base, f, dc, dw, rise, fall)


def heart_rate_along_bpm(time_s, metabolic_speed_mps, core_temp_c, work_h, params,
                         start_bpm: float | None = None) -> np.ndarray:
    """Heart rate [bpm] along a saved trajectory: the model's kinetics, stepped exactly
    between samples (the steady state held at the step's midpoint).

    Parameters
    ----------
    time_s, metabolic_speed_mps, core_temp_c, work_h
        The trajectory [s, m/s, degC, h at CS], e.g. a :class:`~governor.Simulation`'s
        columns ``time_s``, ``metabolic_speed_mps``, ``core_temp_c``, ``work_h``.
    params
        A :class:`~governor.Params` (its ``heart_rate_*`` terms and critical speed).
    start_bpm
        Heart rate at the first sample; default the resting heart rate, as the model starts.
    """
    p = params
    t = np.ascontiguousarray(time_s, dtype=float)
    if t.size == 0:
        return np.zeros(0)
    start = p.heart_rate_rest_bpm if start_bpm is None else float(start_bpm)
    return _along(t, np.ascontiguousarray(metabolic_speed_mps, dtype=float),
                  float(p.critical_speed_mps), np.ascontiguousarray(core_temp_c, dtype=float),
                  np.ascontiguousarray(work_h, dtype=float), start, p.heart_rate_rest_bpm,
                  p.heart_rate_max_bpm, p.heart_rate_baseline_bpm, p.heart_rate_at_cs_fraction,
                  p.heart_rate_drift_bpm_per_c, p.heart_rate_drift_bpm_per_work_h,
                  p.heart_rate_tau_rise_s, p.heart_rate_tau_fall_s)
