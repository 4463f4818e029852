"""Checks of chapter 2, XOR and representations."""

from __future__ import annotations

__all__: list[str] = []
