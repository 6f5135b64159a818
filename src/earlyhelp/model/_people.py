"""Families and children. Pseudonymous ids only: the model holds no names."""

from __future__ import annotations

import attrs
import pendulum

from earlyhelp.model._base import id_field, to_optional_date

__all__ = ["Child", "Family"]


@attrs.frozen(kw_only=True)
class Family:
    """A family (household) known to early help.

    Example:
        >>> Family(family_id="F1", locality_id="L1")
        Family(family_id='F1', locality_id='L1')
    """

    family_id: str = id_field()
    locality_id: str | None = id_field(optional=True)


@attrs.frozen(kw_only=True)
class Child:
    """A child or young person, by pseudonymous id.

    The date of birth is personal data: it is optional and never shown in a
    ``repr`` or an error message.

    Example:
        >>> import datetime as dt
        >>> Child(person_id="P1", family_id="F1", date_of_birth=dt.date(2010, 5, 1))
        Child(person_id='P1', family_id='F1')
    """

    person_id: str = id_field()
    family_id: str | None = id_field(optional=True)
    date_of_birth: pendulum.Date | None = attrs.field(
        default=None, converter=to_optional_date, repr=False
    )
    postcode: str | None = attrs.field(default=None, repr=False)
    """Home postcode (personal data, optional; never shown in a ``repr``)."""
