"""python -m nn_crosscheck compare|test ..."""
from .cli import entry

entry()
