"""governor: a quantitative central-governor model of running fatigue.

Simulate a runner whose brain holds a reserve, trick it with false feedback, read training
logs, and fit the model to them. The public names are listed in ``__all__``; see the README
for a tour.

The names are loaded when first used (PEP 562): ``import governor`` costs almost nothing,
and ``governor.fit`` brings in SciPy's optimisers only when a fit is asked for.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING

__version__ = "0.1.0"

#: Each public name and the module that defines it.
_WHERE = {
    "Params": "governor.params", "RECREATIONAL": "governor.params",
    "TRAINED": "governor.params", "ELITE": "governor.params",
    "Course": "governor.scenario", "Environment": "governor.scenario",
    "Feedback": "governor.scenario", "Modifiers": "governor.scenario",
    "Race": "governor.scenario", "TimeTrial": "governor.scenario",
    "TimeToExhaustion": "governor.scenario", "FixedRPE": "governor.scenario",
    "Training": "governor.scenario", "Segment": "governor.scenario",
    "simulate": "governor.simulate", "Simulation": "governor.simulate",
    "read_log": "governor.io", "Activity": "governor.io", "LogError": "governor.io",
    "fit": "governor.fitting", "FitResult": "governor.fitting",
    "profile": "governor.fitting", "RunnerProfile": "governor.fitting",
    "fit_many": "governor.batch",
    "predict": "governor.predict", "Prediction": "governor.predict",
    "simulate_block": "governor.block", "Block": "governor.block",
    "Session": "governor.block", "TrainingResponse": "governor.block",
    "impulse_response": "governor.block",
}

#: Submodules reachable as attributes (``governor.studies``, ``governor.plot``, ...).
_SUBMODULES = ("studies", "plot", "units", "perception", "io", "fitting", "batch", "block",
               "params", "scenario")

__all__ = [
    "Params", "RECREATIONAL", "TRAINED", "ELITE",
    "Course", "Environment", "Feedback", "Modifiers",
    "Race", "TimeTrial", "TimeToExhaustion", "FixedRPE", "Training", "Segment",
    "simulate", "Simulation",
    "read_log", "Activity", "LogError",
    "fit", "FitResult", "fit_many", "profile", "RunnerProfile",
    "predict", "Prediction",
    "simulate_block", "Block", "Session", "TrainingResponse", "impulse_response",
    "studies",
]


def __getattr__(name: str):
    module = _WHERE.get(name)
    if module is not None:
        value = getattr(importlib.import_module(module), name)
    elif name in _SUBMODULES:
        value = importlib.import_module(f"governor.{name}")
    else:
        raise AttributeError(f"module 'governor' has no attribute {name!r}")
    globals()[name] = value  # found once, then an ordinary attribute
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__) | set(_SUBMODULES))


#: Public functions named like the module that defines them.
_SHADOWED = ("simulate", "predict")


class _Package(types.ModuleType):
    """The package module. Importing a submodule binds it as an attribute of its package;
    for ``governor.simulate`` and ``governor.predict`` the public name is the function, so
    the function is bound instead (the module stays in ``sys.modules``)."""

    def __setattr__(self, name: str, value) -> None:
        if name in _SHADOWED and isinstance(value, types.ModuleType):
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


if TYPE_CHECKING:  # for type checkers and editors; never run
    from governor import studies
    from governor.batch import fit_many
    from governor.block import Block, Session, TrainingResponse, impulse_response, simulate_block
    from governor.fitting import FitResult, RunnerProfile, fit, profile
    from governor.io import Activity, LogError, read_log
    from governor.params import ELITE, RECREATIONAL, TRAINED, Params
    from governor.predict import Prediction, predict
    from governor.scenario import (
        Course,
        Environment,
        Feedback,
        FixedRPE,
        Modifiers,
        Race,
        Segment,
        TimeToExhaustion,
        TimeTrial,
        Training,
    )
    from governor.simulate import Simulation, simulate
