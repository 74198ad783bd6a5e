"""Fitting the model to logs: one log, an athlete's many logs, honest uncertainty."""

from governor.fitting.data import (
    DEFAULT_TEMPERATURE_C,
    LogData,
    critical_speed_from_curve,
    detect_effort,
    prepare,
)
from governor.fitting.fit import FitResult, baselines, default_vary, fit, simulate_log
from governor.fitting.profile import RunnerProfile, best_efforts, profile
from governor.fitting.synthetic import synthetic_log

__all__ = [
    "fit", "FitResult", "prepare", "LogData", "detect_effort", "default_vary", "baselines",
    "simulate_log", "synthetic_log", "critical_speed_from_curve", "DEFAULT_TEMPERATURE_C",
    "profile", "RunnerProfile", "best_efforts",
]
