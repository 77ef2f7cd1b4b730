"""PyTorch twins of the NumPy components. Every gradient here comes from
autograd: no function in this package writes a backward pass by hand, and
nothing here imports numpy_impl (the reference never depends on what it judges)."""
from .components import *  # noqa: F401,F403
from .components import __all__  # noqa: F401
