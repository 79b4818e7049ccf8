"""Kluis: a privacy-first gateway between open-banking account data and chat channels."""

from __future__ import annotations

__version__ = "0.1.0"
