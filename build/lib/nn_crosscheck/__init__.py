"""nn-crosscheck: does a hand-written NumPy network compute exactly what PyTorch
computes? The engine: loader, binding, records (components/), strategies,
tolerances, comparison, diagnosis, report, command line and pytest plugin."""
__version__ = "1.0.0"
