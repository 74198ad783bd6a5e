"""Perceived exertion from afferent signals, on the Borg CR10 scale (0-10).

Perceived exertion ``P`` relaxes toward an afferent drive with a time constant of tens of
seconds (``docs/model.md``, Perception). The drive is built from relative intensity,
depletion of the reserve, core and skin temperature, scaled by an afferent gain (below 1:
afferent blockade), plus any mental-fatigue offset.

References
----------
Borg G (1998). Borg's Perceived Exertion and Pain Scales. Human Kinetics.
Tucker R, Marle T, Lambert EV, Noakes TD (2006). The rate of heat storage mediates an
anticipatory reduction in exercise intensity during cycling at a fixed rating of perceived
exertion. J Physiol 574:905-915.
Marcora SM, Staiano W, Manning V (2009). Mental fatigue impairs physical performance in
humans. J Appl Physiol 106:857-864.
"""

from __future__ import annotations

from governor._jit import jit

#: Top of the CR10 scale used by the model.
RPE_MAX = 10.0
#: Core and skin temperatures [degC] above which heat adds to the drive.
CORE_RPE_THRESHOLD_C = 37.5
SKIN_RPE_THRESHOLD_C = 33.0


@jit
def afferent_drive_cr10(
    relative_intensity: float,
    depletion: float,
    core_c: float,
    skin_c: float,
    intensity_weight: float,
    depletion_weight: float,
    core_weight: float,
    skin_weight: float,
    afferent_gain: float,
    mental_fatigue: float,
) -> float:
    """The level perceived exertion relaxes toward [CR10], clipped to [0, 10].

    ``P* = g [w_e e/CS_eff + w_D (1 - D/D'0) + w_c (Tc - 37.5)+ + w_s (Tsk - 33)+] + m``.
    """
    phys = (
        intensity_weight * max(relative_intensity, 0.0)
        + depletion_weight * min(max(depletion, 0.0), 1.0)
        + core_weight * max(core_c - CORE_RPE_THRESHOLD_C, 0.0)
        + skin_weight * max(skin_c - SKIN_RPE_THRESHOLD_C, 0.0)
    )
    return min(max(afferent_gain * phys + mental_fatigue, 0.0), RPE_MAX)


@jit
def rpe_rate_per_s(rpe: float, drive: float, tau_s: float) -> float:
    """``dP/dt = (P* - P)/tau`` [CR10/s]."""
    return (drive - rpe) / tau_s


def cr10_to_borg20(rpe_cr10):
    """Map CR10 (0-10) onto Borg's 6-20 scale for comparison with studies that used it.

    A linear map of the working ranges (0 -> 6, 10 -> 20); the two scales are not exactly
    linear in each other, so this is for comparison of shapes, not single values.
    """
    return 6.0 + 1.4 * rpe_cr10
