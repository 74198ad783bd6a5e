"""Energetics of running: metabolic cost on a gradient and against the air.

The model's recruitment sets a *flat-equivalent metabolic speed* ``e`` [m/s]: the speed on
flat ground in still air that would cost the same metabolic power. This module converts
between ``e`` and the horizontal speed ``v`` on a given gradient and headwind, and gives the
grade-adjusted speed used for logs, so the model and the log metrics share one energetics.

All scalar functions are compiled with numba and can be called with plain floats; the
public ``*_mps`` wrappers at the bottom accept arrays too.

References
----------
Minetti AE, Moia C, Roi GS, Susta D, Ferretti G (2002). Energy cost of walking and running
at extreme uphill and downhill slopes. J Appl Physiol 93:1039-1046.
Pugh LGCE (1971). The influence of wind resistance in running and walking and the mechanical
efficiency of work against horizontal or vertical forces. J Physiol 213:255-276.
Du Bois D, Du Bois EF (1916). A formula to estimate the approximate surface area if height and
weight be known. Arch Intern Med 17:863-871.
"""

from __future__ import annotations

import numpy as np

from governor._jit import jit

#: Minetti et al. 2002 polynomial is fitted over gradients -0.45 .. +0.45 [fraction].
GRADE_MIN = -0.45
GRADE_MAX = 0.45
#: Cost of running on the flat, C(0) of the Minetti polynomial [J/kg/m].
FLAT_COST_J_PER_KG_M = 3.6
#: Air density at sea level and 20 degC [kg/m^3].
AIR_DENSITY_KG_M3 = 1.20
#: Drag coefficient of a running human [-] (Pugh 1971 reports values of 0.8-1.0).
DRAG_COEFFICIENT = 0.9
#: Projected frontal area as a fraction of body surface area [-] (Pugh 1971: ~0.266).
FRONTAL_AREA_FRACTION = 0.266
#: Metabolic efficiency of work against air resistance [-] (Pugh 1971: ~0.5 for
#: horizontal forces).
AERO_EFFICIENCY = 0.5


def _minetti_polynomial(i):
    """Minetti et al. 2002 cost of running [J/kg/m] at gradient ``i`` (a float or an
    array, already clipped), in Horner form."""
    return ((((155.4 * i - 30.4) * i - 43.3) * i + 46.3) * i + 19.5) * i + 3.6


_minetti_polynomial_compiled = jit(_minetti_polynomial)


@jit
def minetti_cost_j_per_kg_m(grade: float) -> float:
    """Metabolic cost of running on a gradient, Minetti et al. 2002 [J/kg/m].

    ``C(i) = 155.4 i^5 - 30.4 i^4 - 43.3 i^3 + 46.3 i^2 + 19.5 i + 3.6`` with ``i`` the
    gradient (rise over run, fraction), clipped to the fitted range [-0.45, 0.45].
    """
    return _minetti_polynomial_compiled(min(max(grade, GRADE_MIN), GRADE_MAX))


@jit
def body_surface_area_m2(mass_kg: float, height_m: float) -> float:
    """Du Bois & Du Bois 1916 body surface area [m^2] from mass [kg] and height [m]."""
    return 0.202 * mass_kg**0.425 * height_m**0.725


@jit
def drag_area_m2(mass_kg: float, height_m: float) -> float:
    """Effective drag area Cd*A [m^2]: Cd 0.9 times a frontal area of 0.266 of body surface
    area (Pugh 1971)."""
    return DRAG_COEFFICIENT * FRONTAL_AREA_FRACTION * body_surface_area_m2(mass_kg, height_m)


@jit
def air_cost_coefficient(mass_kg: float, height_m: float) -> float:
    """Coefficient k [s^2/m^2] so that air resistance adds ``k * u|u| * v`` to the
    flat-equivalent metabolic speed, where ``u`` is the air speed relative to the runner.

    ``k = 0.5 rho CdA / (eta * m * C(0))``.
    """
    return (
        0.5
        * AIR_DENSITY_KG_M3
        * drag_area_m2(mass_kg, height_m)
        / (AERO_EFFICIENCY * mass_kg * FLAT_COST_J_PER_KG_M)
    )


@jit
def cost_speed(
    speed_mps: float, grade: float, headwind_mps: float, air_coefficient: float
) -> float:
    """Metabolic cost of running at ``speed_mps`` as a speed [m/s] of the no-air flat cost:
    ``v C(i)/C(0) + k (v + w)|v + w| v``, with ``w`` the headwind [m/s] (positive against
    the runner) and ``k`` from :func:`air_cost_coefficient`."""
    u = speed_mps + headwind_mps
    return speed_mps * minetti_cost_j_per_kg_m(grade) / FLAT_COST_J_PER_KG_M + (
        air_coefficient * u * abs(u) * speed_mps
    )


@jit
def still_air_cost_speed(metabolic_speed_mps: float, air_coefficient: float) -> float:
    """Cost [m/s of no-air flat cost] of running at ``e`` on the flat in still air:
    ``e + k e^3``. Metabolic power is ``m C(0)`` times this."""
    e = max(metabolic_speed_mps, 0.0)
    return e + air_coefficient * e * e * e


@jit
def metabolic_speed(
    speed_mps: float, grade: float, headwind_mps: float, air_coefficient: float
) -> float:
    """Flat-equivalent metabolic speed e [m/s] of running at ``speed_mps`` on ``grade``
    against ``headwind_mps``: the speed on flat ground in still air of equal metabolic cost,
    so that e = v on the flat in still air and CS is a track speed.

    Solves ``e + k e^3 = cost_speed(v, i, w, k)`` by Newton's method.
    """
    c = cost_speed(speed_mps, grade, headwind_mps, air_coefficient)
    if c <= 0.0:
        return 0.0
    e = c
    for _ in range(30):
        f = e + air_coefficient * e * e * e - c
        e_new = e - f / (1.0 + 3.0 * air_coefficient * e * e)
        if abs(e_new - e) < 1e-12:
            return e_new
        e = e_new
    return e


@jit
def speed_from_metabolic(
    metabolic_speed_mps: float, grade: float, headwind_mps: float, air_coefficient: float
) -> float:
    """Horizontal speed v [m/s] that costs the flat-equivalent metabolic speed e [m/s].

    Inverse of :func:`metabolic_speed`, solved by Newton's method from the no-air solution.
    The cost is increasing in v for every gradient in range (C(i) > 0 throughout), so the
    root is unique; e <= 0 gives v = 0.
    """
    if metabolic_speed_mps <= 0.0:
        return 0.0
    if grade == 0.0 and headwind_mps == 0.0:
        return metabolic_speed_mps  # flat, still air: e = v by definition
    target = still_air_cost_speed(metabolic_speed_mps, air_coefficient)
    c = minetti_cost_j_per_kg_m(grade) / FLAT_COST_J_PER_KG_M
    v = target / c
    for _ in range(30):
        u = v + headwind_mps
        f = v * c + air_coefficient * u * abs(u) * v - target
        df = c + air_coefficient * (u * abs(u) + 2.0 * abs(u) * v)
        if df < 1e-9:
            df = 1e-9
        v_new = v - f / df
        if v_new < 0.0:
            v_new = 0.5 * v
        if abs(v_new - v) < 1e-10:
            return v_new
        v = v_new
    return v


def grade_adjusted_speed_mps(speed_mps, grade):
    """Grade-adjusted speed [m/s]: the flat speed of equal metabolic cost (Minetti 2002).

    Accepts floats or arrays (NaN propagates). Air resistance is not included: this is the
    quantity runners know as grade-adjusted pace, and the one fitted against logs.
    """
    v = np.asarray(speed_mps, dtype=float)
    i = np.clip(np.asarray(grade, dtype=float), GRADE_MIN, GRADE_MAX)
    out = v * _minetti_polynomial(i) / FLAT_COST_J_PER_KG_M
    return float(out) if out.ndim == 0 else out


def grade_adjusted_pace_s_per_km(speed_mps, grade):
    """Grade-adjusted pace [s/km], the reciprocal of :func:`grade_adjusted_speed_mps`."""
    gas = np.asarray(grade_adjusted_speed_mps(speed_mps, grade), dtype=float)
    with np.errstate(divide="ignore"):
        out = np.where(gas > 0, 1000.0 / gas, np.inf)
    return float(out) if out.ndim == 0 else out


__all__ = [
    "minetti_cost_j_per_kg_m",
    "body_surface_area_m2",
    "drag_area_m2",
    "air_cost_coefficient",
    "cost_speed",
    "still_air_cost_speed",
    "metabolic_speed",
    "speed_from_metabolic",
    "grade_adjusted_speed_mps",
    "grade_adjusted_pace_s_per_km",
]
