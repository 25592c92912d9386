"""Measurements of Rashomon's stages on evaluation data (``rashomon eval …``); each module has ``evaluate``."""
