"""The benchmark harness (not part of the installed package): `python -m bench`."""
