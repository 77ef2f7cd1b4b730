"""nn-crosscheck: does a hand-written NumPy network compute exactly what PyTorch
computes? The engine: loader, binding, records (components/), strategies,
tolerances, comparison, diagnosis, report, command line and pytest plugin."""
__version__ = "1.0.0"


def definitions(path):
    """The definitions of a learner's file (its classes and functions), without
    running its module-level code: what reproductions import a file by."""
    from .loader import load
    return load(path).module
