"""Hypothesis profiles: how many examples each check draws.

| profile         | examples per check | examples                                        |
| ci (default)    | 100                | the same every run (a fixed seed per check)     |
| quick           | 20                 | the same every run; scripts/compare's default   |
| thorough        | 3000               | fresh every run (a random seed, reported)       |

--hypothesis-seed=N draws other examples, the same for the same N, under any
profile. Select with --hypothesis-profile=NAME (pytest) or
CROSSCHECK_PROFILE=NAME.
"""
import os

from hypothesis import HealthCheck, Phase, settings

from .constants import PROFILES
FRESH = {"thorough"}
_common = dict(deadline=None, print_blob=False, database=None,
               phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
               suppress_health_check=list(HealthCheck))
_registered = []


def register():
    """Register the profiles and load CROSSCHECK_PROFILE (default ci) once."""
    if _registered:
        return
    for name, examples in PROFILES.items():
        settings.register_profile(name, max_examples=examples, **_common)
    _registered.append(True)
    name = os.environ.get("CROSSCHECK_PROFILE", "ci")
    settings.load_profile(name if name in PROFILES else "ci")


from .constants import environment_problem  # noqa: E402,F401  (said where it is defined)


def load(name):
    if name not in PROFILES:
        raise ValueError(f"unknown profile {name!r}; the profiles are {', '.join(PROFILES)}")
    register()
    settings.load_profile(name)


def current():
    register()
    return settings.default


def fresh():
    """Does the active profile ask for fresh examples every run (thorough)?"""
    name = getattr(settings, "_current_profile", None)
    if name is not None:
        return name in FRESH
    return current().max_examples == PROFILES["thorough"]


register()
