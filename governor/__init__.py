"""governor: a quantitative central-governor model of running fatigue."""

__version__ = "0.1.0"
