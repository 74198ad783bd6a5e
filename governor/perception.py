"""Perceived exertion on the Borg CR10 scale (0-10): afferent signals and external feedback.

Perceived exertion ``P`` relaxes toward a drive with a time constant of tens of seconds
(``docs/model.md``, Perception). The drive has two parts. The afferent part is built from
relative intensity, depletion of the reserve, core and skin temperature, scaled by an
afferent gain (below 1: afferent blockade), plus any mental-fatigue offset. The external
part is what the brain believes of the effort against what it expected: told that more
remains than it planned for, the same body feels harder; told that less remains, easier;
the surprise fades as the new total becomes the plan (Tucker 2009: perceived exertion is
the conscious output of an anticipatory comparison; St Clair Gibson et al. 2006).

References
----------
Borg G (1998). Borg's Perceived Exertion and Pain Scales. Human Kinetics.
Tucker R, Marle T, Lambert EV, Noakes TD (2006). The rate of heat storage mediates an
anticipatory reduction in exercise intensity during cycling at a fixed rating of perceived
exertion. J Physiol 574:905-915.
Marcora SM, Staiano W, Manning V (2009). Mental fatigue impairs physical performance in
humans. J Appl Physiol 106:857-864.
Baden DA, McLean TL, Tucker R, Noakes TD, St Clair Gibson A (2005). Effect of anticipation
during unknown or unexpected exercise duration on rating of perceived exertion, affect, and
physiological function. Br J Sports Med 39:742-746.
Eston R, Stansfield R, Westoby P, Parfitt G (2012). Effect of deception and expected exercise
duration on psychological and physiological variables during treadmill running and
cycling. Psychophysiology 49:462-469.
Tucker R (2009). The anticipatory regulation of performance. Br J Sports Med 43:392-400.
St Clair Gibson A, Lambert EV, Rauch LHG, et al. (2006). The role of information processing
between the brain and peripheral physiological systems in pacing and perception of effort.
Sports Med 36:705-722.
"""

from __future__ import annotations

import math

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
def external_feedback_cr10(believed_total: float, expected_total: float,
                           surprise_gain_cr10: float) -> float:
    """The external-feedback part of the drive [CR10]: ``k ln(B / E)`` for a believed total
    ``B`` (of the effort's distance [m] or duration [s], as the runner is now told it) and
    the expected total ``E`` the plan was made for (:func:`expectation_rate_per_s`).

    Positive when more is believed to remain than was expected (Baden et al. 2005: a 10-min
    run extended to 20 min at constant speed raised RPE within a minute; Eston et al. 2012),
    negative when less; zero once the expectation has caught up, and zero for an effort with
    no believed total (``B`` or ``E`` not positive, or NaN).
    """
    if believed_total > 0.0 and expected_total > 0.0:
        return surprise_gain_cr10 * math.log(believed_total / expected_total)
    return 0.0


@jit
def expectation_rate_per_s(believed_total: float, expected_total: float, tau_s: float) -> float:
    """``dE/dt = (B - E)/tau`` [units of the total per s]: the expected total follows the
    believed one, so a surprise fades as the new total becomes the plan; 0 without a
    believed total."""
    if believed_total > 0.0:
        return (believed_total - expected_total) / tau_s
    return 0.0


@jit
def perceived_drive_cr10(afferent_cr10: float, external_cr10: float) -> float:
    """The drive perceived exertion relaxes toward [CR10]: afferent plus external part,
    clipped to [0, 10]."""
    return min(max(afferent_cr10 + external_cr10, 0.0), RPE_MAX)


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
