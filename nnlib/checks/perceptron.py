"""Checks of chapter 1, the perceptron and logic gates."""

from __future__ import annotations

__all__: list[str] = []
