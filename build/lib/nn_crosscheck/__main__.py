"""python -m nn_crosscheck compare|test ..."""
import sys

from .cli import main

sys.exit(main())
