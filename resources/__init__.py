"""Bundled resources (fonts with licences, icons, default letter templates), read via importlib.resources."""
