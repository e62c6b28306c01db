"""Crofton Desk: data-protection practice for an English school office."""

__version__ = "0.1.0"
