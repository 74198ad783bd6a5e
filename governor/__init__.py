"""governor: a quantitative central-governor model of running fatigue.

Simulate a runner whose brain holds a reserve, trick it with false feedback, read training
logs, and fit the model to them. The public names are listed in ``__all__``; see the README
for a tour.
"""

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

__version__ = "0.1.0"

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
