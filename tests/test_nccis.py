"""NCCIS extracts: record_month from ACADYR and MonthNo, the published code list, figures."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

import earlyhelp as eh

D = dt.date


def _extract(path: Path, rows: list[tuple[str, str, str, str, str]]) -> Path:
    pl.DataFrame(
        rows,
        schema=["YPID", "DOB", "ACADYR", "MonthNo", "Current_Activity_Code"],
        orient="row",
    ).write_csv(path)
    return path


def test_an_nccis_extract_loads_and_computes(tmp_path: Path) -> None:
    rows = []
    # Four young people of academic age 16 in 2014-15, November to January.
    for person, code in (("Y1", "540"), ("Y2", "530"), ("Y3", "150"), ("Y4", "410")):
        for month in ("11", "12", "1"):
            rows.append((person, "15/03/1998", "2014/15", month, code))
    data = eh.load(_extract(tmp_path / "nccis_2014.csv", rows))
    assert data.report.ok, str(data.report)
    months = sorted(set(data["neet"].get_column("record_month").to_list()))
    assert months == [D(2014, 11, 1), D(2014, 12, 1), D(2015, 1, 1)]
    definition = eh.instruments.neet_cohort_definition(2014)
    figures = eh.instruments.neet_figures(data["neet"], definition, months=months)
    # 540 is NEET; 530 (re-engagement) is not; 150 is not known; 410 is training.
    assert (figures.neet, figures.not_known) == (3, 3)  # summed over the three months
    assert "NCCIS: 12 monthly record(s)" in str(data.report)


def test_unreadable_year_or_month_is_rejected_by_row(tmp_path: Path) -> None:
    rows = [
        ("Y1", "15/03/1998", "2014/15", "13", "540"),
        ("Y2", "15/03/1998", "2014/16", "1", "540"),
        ("Y3", "15/03/1998", "2014/15", "2", "540"),
    ]
    data = eh.load(_extract(tmp_path / "nccis.csv", rows))
    report = data.report["neet"]
    assert report.rejected_rows == (1, 2)
    assert {r.field for r in report.rejections()} == {"record_month"}


@given(
    st.integers(2010, 2030),
    st.integers(1, 12),
    st.sampled_from(["{a}/{b}", "{a}/{s}", "{a}{s}", "{a}-{s}"]),
)
def test_record_month_is_in_the_academic_year(start: int, month: int, form: str) -> None:
    acadyr = form.format(a=start, b=start + 1, s=f"{(start + 1) % 100:02d}")
    frame = pl.DataFrame({"y": [acadyr], "m": [str(month)]})
    from earlyhelp.io import record_month

    text = frame.select(record_month(pl.col("y"), pl.col("m"))).item()
    day = dt.date.fromisoformat(text)
    assert day.day == 1
    assert day.month == month
    assert dt.date(start, 9, 1) <= day <= dt.date(start + 1, 8, 1)
