"""The catalogued mistakes, one file per family (see ../catalogue.py)."""
