"""The declaration of data-quality settings: the parameters data-quality rules use."""

from __future__ import annotations

import attrs

from earlyhelp.profiles._dating import Citation, Effective
from earlyhelp.profiles._header import read_header
from earlyhelp.profiles._reading import MAX_DAYS, Reader
from earlyhelp.profiles._registry import rule_family

__all__ = ["QualitySettings"]


@rule_family(
    "quality",
    summary="Data-quality settings: which checks run and their parameters.",
)
@attrs.frozen(kw_only=True)
class QualitySettings:
    """One version of the data-quality settings.

    Attributes:
        rule_id: the version's stable id.
        effective: the extract dates it applies to.
        citation: the local recording guidance.
        open_case_without_eha_days: how long a case may be open without an Early
            Help Assessment before it is queried.
        disabled: data-quality rule codes this council does not apply.
    """

    rule_id: str
    effective: Effective
    citation: Citation
    open_case_without_eha_days: int = 45
    disabled: tuple[str, ...] = ()

    @classmethod
    def from_reader(cls, reader: Reader) -> QualitySettings | None:
        """Read one version from profile data; ``None`` if it has problems."""
        header = read_header(reader)
        days = reader.integer("open_case_without_eha_days", 45, minimum=0, maximum=MAX_DAYS)
        disabled = reader.texts("disabled", ())
        reader.finish()
        if header is None or days is None or disabled is None:
            return None
        return cls(**header, open_case_without_eha_days=days, disabled=disabled)
