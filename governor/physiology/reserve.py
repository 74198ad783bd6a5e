"""The reserve above critical speed: D' balance and the recruitment ceiling.

Speeds are flat-equivalent metabolic speeds (see :mod:`governor.physiology.energetics`),
so D' is in metres of flat running above critical speed.

References
----------
Skiba PF, Fulford J, Clarke DC, Vanhatalo A, Jones AM (2015). Intramuscular determinants
of the ability to recover work capacity above critical power. Eur J Appl Physiol 115:703-713
(differential form of W' balance).
Morton RH (1996). A 3-parameter critical power model. Ergonomics 39:611-619.
"""

from __future__ import annotations

from governor._jit import jit


@jit
def d_balance_rate_mps(
    metabolic_speed_mps: float, reserve_m: float, d_prime_m: float, critical_speed_mps: float
) -> float:
    """Rate of change of the D' balance [m/s] (Skiba et al. 2015, differential form).

    Above CS the reserve is spent one-for-one: ``dD/dt = -(e - CS)``. Below CS it recovers
    in proportion to what is missing: ``dD/dt = (CS - e)(D'0 - D)/D'0``.
    """
    excess = metabolic_speed_mps - critical_speed_mps
    if excess > 0.0:
        return -excess
    return -excess * (d_prime_m - reserve_m) / d_prime_m


@jit
def recruitment_ceiling(
    reserve_m: float, d_prime_m: float, critical_speed_mps: float, v_max_mps: float
) -> float:
    """Largest recruitment available with reserve D [0-1] (Morton 1996).

    ``R_max = [CS + (v_max - CS) D/D'0] / v_max``: full recruitment with a full reserve,
    shrinking linearly to CS alone when the reserve is spent.
    """
    frac = min(max(reserve_m / d_prime_m, 0.0), 1.0)
    r = (critical_speed_mps + (v_max_mps - critical_speed_mps) * frac) / v_max_mps
    return min(max(r, 0.0), 1.0)


@jit
def effective_critical_speed_mps(
    critical_speed_mps: float,
    core_temp_c: float,
    heat_onset_c: float,
    heat_loss_per_c: float,
    work_h: float,
    durability_loss_per_h: float,
) -> float:
    """Critical speed lowered by heat and by long work [m/s].

    ``CS_eff = CS (1 - k_T max(0, Tc - T_onset)) (1 - k_L L)`` with ``L`` the work done so far
    in hours at CS (the durability load). Floors at 30 % of CS so it stays positive.
    """
    heat = 1.0 - heat_loss_per_c * max(core_temp_c - heat_onset_c, 0.0)
    dur = 1.0 - durability_loss_per_h * max(work_h, 0.0)
    return critical_speed_mps * max(heat * dur, 0.3)


def time_to_exhaustion_s(speed_mps: float, critical_speed_mps: float, d_prime_m: float,
                         v_max_mps: float | None = None) -> float:
    """Analytic time to exhaustion at a constant speed above CS [s].

    Without ``v_max_mps``: the critical-speed hyperbola ``D'0 / (v - CS)``. With it: the
    Morton 1996 three-parameter form, where exhaustion comes when the ceiling falls to the
    demand, ``D'0 (1 - (v - CS)/(v_max - CS)) / (v - CS)``.
    """
    if speed_mps <= critical_speed_mps:
        return float("inf")
    t = d_prime_m / (speed_mps - critical_speed_mps)
    if v_max_mps is not None:
        t *= max(1.0 - (speed_mps - critical_speed_mps) / (v_max_mps - critical_speed_mps), 0.0)
    return t
