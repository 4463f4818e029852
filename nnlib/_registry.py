"""Look-up by name: the one mechanism behind every ``get()`` in nnlib.

``activations.get("relu")``, ``losses.get("mse")``, ``initializers.get("he_normal")`` and
``optimizers.get("adam", lr=1e-3)`` all go through a :class:`Registry`. A registry accepts a
name (case and ``-``/``_`` insensitive), an instance of its base class (returned unchanged) or
a subclass (instantiated). A typo raises a ``ValueError`` that lists the valid names.
"""

from __future__ import annotations

import difflib


def _normalise(name: str) -> str:
    return name.strip().lower().replace("-", "_").replace(" ", "_")


class Registry:
    """A name -> class table for one kind of object (activation, loss, ...)."""

    def __init__(self, kind: str, base: type):
        self.kind = kind
        self.base = base
        self._classes: dict[str, type] = {}
        self._canonical: list[str] = []

    def register(self, *names: str):
        """Class decorator: make the class available under ``names`` (the first is canonical,
        the others are aliases)."""

        def decorate(cls):
            self._canonical.append(_normalise(names[0]))
            for name in names:
                self._classes[_normalise(name)] = cls
            return cls

        return decorate

    @property
    def names(self) -> list[str]:
        """The canonical names, sorted (aliases are accepted too but not listed)."""
        return sorted(self._canonical)

    def get(self, identifier, **kwargs):
        """Return an instance for a name, an instance or a subclass of the base class."""
        if isinstance(identifier, self.base):
            if kwargs:
                raise TypeError(
                    f"{self.kind} options {sorted(kwargs)} can only be given with a name, "
                    f"not with an existing instance {identifier!r}"
                )
            return identifier
        if isinstance(identifier, type) and issubclass(identifier, self.base):
            return identifier(**kwargs)
        if isinstance(identifier, str):
            key = _normalise(identifier)
            if key not in self._classes:
                close = difflib.get_close_matches(key, list(self._classes), n=1)
                hint = f" Did you mean {close[0]!r}?" if close else ""
                raise ValueError(
                    f"Unknown {self.kind} {identifier!r}. Valid names: "
                    f"{', '.join(self.names)}.{hint}"
                )
            return self._classes[key](**kwargs)
        raise TypeError(
            f"Expected a name (str) or an instance of {self.base.__name__} for the {self.kind}, "
            f"got {type(identifier).__name__}: {identifier!r}"
        )
