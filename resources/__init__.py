"""Bundled resources: fonts with licences, icons, default letter templates.

Read through importlib.resources as the package crofton_desk.resources.
"""
