"""Heart-rate kinetics: an observation model to compare with logged heart rate.

References
----------
de Smet D, Voet I, Stoop J, et al. (2016). Heart rate modelling as a potential physical
fitness assessment for runners and cyclists. Workshop on Large-scale Sport Analytics, KDD.
Gonzalez-Alonso J, Teller C, Andersen SL, et al. (1999). Influence of body temperature on
the development of fatigue during prolonged exercise in the heat. J Appl Physiol 86:1032-1039.
"""

from __future__ import annotations

from governor._jit import jit


@jit
def steady_heart_rate_bpm(
    metabolic_speed_mps: float,
    critical_speed_mps: float,
    core_temp_c: float,
    rest_bpm: float,
    max_bpm: float,
    at_cs_fraction: float,
    drift_bpm_per_c: float,
) -> float:
    """Steady-state heart rate [bpm] at a metabolic speed.

    Linear in relative intensity: ``HR_rest + f_CS (HR_max - HR_rest) e/CS``, plus a drift of
    ``drift`` bpm per degC of core temperature above 37; capped at HR_max.
    """
    rel = max(metabolic_speed_mps, 0.0) / critical_speed_mps
    hr = rest_bpm + at_cs_fraction * (max_bpm - rest_bpm) * rel
    hr += drift_bpm_per_c * max(core_temp_c - 37.0, 0.0)
    return min(hr, max_bpm)


@jit
def heart_rate_rate_bpm_per_s(
    heart_rate_bpm: float, steady_bpm: float, tau_rise_s: float, tau_fall_s: float
) -> float:
    """First-order approach to the steady state [bpm/s] with separate rise and fall time
    constants: ``dHR/dt = (HR_ss - HR)/tau``."""
    tau = tau_rise_s if steady_bpm > heart_rate_bpm else tau_fall_s
    return (steady_bpm - heart_rate_bpm) / tau
