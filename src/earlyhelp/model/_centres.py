"""Children's centres: centres in locality clusters, and Ofsted's inspections of them."""

from __future__ import annotations

import enum

import attrs
import pendulum

from earlyhelp.model._base import id_field, to_date

__all__ = ["CentreInspection", "ChildrensCentre", "OfstedJudgement"]


class OfstedJudgement(enum.StrEnum):
    """Ofsted's overall effectiveness judgement, best first (grade 1 to 4).

    Example:
        >>> OfstedJudgement("requires_improvement").grade
        3
    """

    OUTSTANDING = "outstanding"
    GOOD = "good"
    REQUIRES_IMPROVEMENT = "requires_improvement"
    INADEQUATE = "inadequate"

    @property
    def grade(self) -> int:
        """Ofsted's grade, 1 (outstanding) to 4 (inadequate), as on ``GradingScale.ofsted()``."""
        return list(OfstedJudgement).index(self) + 1


@attrs.frozen(kw_only=True)
class ChildrensCentre:
    """A children's centre, in a cluster of centres serving one locality.

    Example:
        >>> ChildrensCentre(centre_id="CC1", cluster_id="CL1", locality_id="L1").cluster_id
        'CL1'
    """

    centre_id: str = id_field()
    cluster_id: str = id_field()
    locality_id: str = id_field()


@attrs.frozen(kw_only=True)
class CentreInspection:
    """An Ofsted inspection of a cluster of children's centres, and its judgement.

    Example:
        >>> import datetime as dt
        >>> CentreInspection(inspection_id="I1", cluster_id="CL1", locality_id="L1",
        ...     inspected=dt.date(2014, 11, 12), judgement="requires_improvement").judgement
        <OfstedJudgement.REQUIRES_IMPROVEMENT: 'requires_improvement'>
    """

    inspection_id: str = id_field()
    cluster_id: str = id_field()
    locality_id: str = id_field()
    inspected: pendulum.Date = attrs.field(converter=to_date)
    judgement: OfstedJudgement = attrs.field(converter=OfstedJudgement)
