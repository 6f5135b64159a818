"""The profile's ``[privacy]`` table: how much personal data ``earlyhelp`` keeps at load.

* ``minimise``: reduce personal data at load, as ``load(..., minimise=True)``
  does: dates of birth to their month, postcodes to their district (see
  :mod:`earlyhelp.io`). A council that sets it in its profile never has to
  remember the argument.

Example:
    >>> from earlyhelp.profiles._reading import Reader
    >>> reader = Reader.top("council.toml", {"minimise": True})
    >>> privacy = PrivacySpec.from_reader(reader)
    >>> reader.raise_problems()
    >>> privacy.minimise
    True
"""

from __future__ import annotations

import attrs

from earlyhelp.profiles._reading import Reader

__all__ = ["PrivacySpec"]


@attrs.frozen(kw_only=True)
class PrivacySpec:
    """A council's privacy settings (see the module)."""

    minimise: bool = False
    """Minimise personal data at load (dates of birth to the month, postcodes to the district)."""

    @classmethod
    def from_reader(cls, reader: Reader) -> PrivacySpec:
        """Read a ``[privacy]`` table (problems are recorded on ``reader``)."""
        privacy = cls(minimise=bool(reader.boolean("minimise", False)))
        reader.finish()
        return privacy
