"""The engine's constants, in one place.

The clip bounds are the reference's (reference/components.py): the engine
draws probabilities at and next to them and labels disagreements there.
"""
import numpy as np

from reference.components import CLIP_HIGH, CLIP_LOW

DTYPES = (np.float32, np.float64)
MAX_BATCH = 64          # generated batch sizes are 1..MAX_BATCH
MAX_WIDTH = 24          # generated widths (features, neurons, classes) are 1..MAX_WIDTH
KINK_MARGIN = 1e-3      # finite differences keep this far from every kink

# Hypothesis profiles (nn_crosscheck/profiles.py): examples per check.
PROFILES = {"ci": 100, "quick": 20, "thorough": 3000}

# Exit codes of both commands (README, "Exit codes").
EXIT_AGREE = 0          # everything that was checked agrees
EXIT_DISAGREE = 1       # a disagreement, or an error raised by the implementation
EXIT_USAGE = 2          # bad flag, bad value, a file that cannot be imported
EXIT_NOTHING = 3        # nothing was checked (no class of the book was found)

__all__ = ["CLIP_LOW", "CLIP_HIGH", "DTYPES", "MAX_BATCH", "MAX_WIDTH", "KINK_MARGIN", "PROFILES",
           "EXIT_AGREE", "EXIT_DISAGREE", "EXIT_USAGE", "EXIT_NOTHING"]


def environment_problem():
    """A one-line complaint about CROSSCHECK_PROFILE, or ''."""
    import os
    name = os.environ.get("CROSSCHECK_PROFILE")
    if name is not None and name not in PROFILES:
        return (f"CROSSCHECK_PROFILE={name!r} is not a profile; the profiles are "
                f"{', '.join(PROFILES)}")
    return ""
