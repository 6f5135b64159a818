"""Results for analysts: a sorted frame with exact and presented values, pandas and XLSX."""

from __future__ import annotations

import contextlib
import io
import zipfile
from fractions import Fraction
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import earlyhelp as eh
from earlyhelp.cli import EXIT_ERROR, EXIT_OK, main
from earlyhelp.measures import CATALOGUE, Element, expand_periods

DEMO = str(eh.demo_path())
FIGURES = ["measure_id", "period", "level", "unit_id", "numerator", "denominator", "value"]


@pytest.fixture(scope="module")
def data() -> eh.Dataset:
    return eh.load(eh.demo_path())


@pytest.fixture(scope="module")
def results(data: eh.Dataset) -> eh.Results:
    return eh.compute(data, profile="derby-2014-15", period="2013-14:2014-15")


def test_the_frame_is_sorted_by_measure_period_level_and_unit(results: eh.Results) -> None:
    frame = results.frame
    measures = list(dict.fromkeys(frame.get_column("measure_id").to_list()))
    assert measures == [m for m in CATALOGUE.ids() if m in measures]
    periods = [p.label for p in expand_periods("2013-14:2014-15")]
    escalation = frame.filter(
        (pl.col("measure_id") == "escalation_rate") & (pl.col("unit_id") == "city")
    )
    assert escalation.get_column("period").to_list() == periods
    assert periods[4] == "2013-14"
    assert periods[3] == "2013-14 Q4"
    one = frame.filter(
        (pl.col("measure_id") == "open_cases")
        & (pl.col("period") == "2014-15 Q3")
        & pl.col("breakdown").is_null()
    )
    levels = one.get_column("level").to_list()
    assert levels == sorted(levels, key=["team", "locality", "city"].index)
    teams = one.filter(pl.col("level") == "team").get_column("unit_id").to_list()
    assert teams == sorted(teams)
    # the total first, then each breakdown value
    routes = frame.filter(
        (pl.col("measure_id") == "new_referrals")
        & (pl.col("period") == "2014-15")
        & (pl.col("unit_id") == "city")
    ).get_column("breakdown")
    assert routes[0] is None
    assert routes.to_list()[1:] == sorted(routes.to_list()[1:])


def test_counts_are_whole_numbers_and_the_value_is_exact(results: eh.Results) -> None:
    frame = results.frame
    assert frame.schema["numerator"] == pl.Int64
    assert frame.schema["denominator"] == pl.Int64
    shown = frame.filter(pl.col("value").is_not_null())
    assert shown.height > 100
    for row in shown.iter_rows(named=True):
        unit = CATALOGUE[row["measure_id"]].unit
        expected = (
            Fraction(row["numerator"])
            if row["denominator"] is None
            else Fraction(unit.scale * row["numerator"], row["denominator"])
        )
        assert Fraction(row["value"]) == expected
        assert row["unit"] == unit.value
    missing = frame.filter(pl.col("missing").is_not_null())
    assert missing.get_column("value").is_null().all()
    assert missing.get_column("presented").eq("[x]").all()
    assert missing.get_column("missing_reason").is_not_null().all()


def test_presented_values_follow_the_profiles_rounding(results: eh.Results) -> None:
    derby = eh.load_profile("derby-2014-15")
    for row in results.frame.filter(pl.col("value").is_not_null()).head(400).iter_rows(named=True):
        settings_ = results.settings(row["period"])
        assert settings_ == derby.rule("presentation", eh.periods.parse_period(row["period"]).end)
        assert row["presented"] == settings_.format(
            row["measure_id"], row["unit"], Fraction(row["value"])
        )


def test_a_results_figure_agrees_with_its_frame_row(results: eh.Results) -> None:
    for figure in list(results)[:300]:
        row = results.frame.filter(
            (pl.col("measure_id") == figure.measure_id)
            & (pl.col("period") == figure.period)
            & (pl.col("unit_id") == figure.unit_id)
            & pl.col("breakdown").eq_missing(figure.breakdown)
        ).row(0, named=True)
        assert (None if row["value"] is None else Fraction(row["value"])) == figure.value


def test_to_pandas_keeps_counts_as_nullable_integers(results: eh.Results) -> None:
    table = results.to_pandas()
    assert str(table["numerator"].dtype) == "Int64"
    assert str(table["denominator"].dtype) == "Int64"
    assert len(table) == results.frame.height
    assert table["numerator"].sum() == results.frame.get_column("numerator").sum()
    big = table["numerator"].max()
    assert isinstance(int(big), int)


@settings(max_examples=15, deadline=None)
@given(
    first=st.integers(2013, 2014),
    span=st.integers(0, 1),
    quarters=st.booleans(),
)
def test_compute_takes_every_period_form_the_cli_takes(
    data: eh.Dataset, first: int, span: int, quarters: bool
) -> None:
    last = first + span
    if quarters:
        text = f"{first}-{(first + 1) % 100:02d} Q2:{last}-{(last + 1) % 100:02d} Q3"
    else:
        text = f"{first}-{(first + 1) % 100:02d}:{last}-{(last + 1) % 100:02d}"
    results = eh.compute(
        data, profile="derby-2014-15", period=text, by="city", measures=["open_cases"]
    )
    labels = results.frame.get_column("period").unique(maintain_order=True).to_list()
    assert labels == [p.label for p in expand_periods(text)]
    if quarters:
        assert all(" Q" in label for label in labels)
        assert len(labels) == 4 * span + 2
    else:
        assert len(labels) == 5 * (span + 1)
    out = io.StringIO()

    with contextlib.redirect_stdout(out):
        assert (
            main(
                [
                    "compute",
                    DEMO,
                    "--profile",
                    "derby-2014-15",
                    "--period",
                    text,
                    "--by",
                    "city",
                    "--measure",
                    "open_cases",
                    "--format",
                    "csv",
                ]
            )
            == EXIT_OK
        )
    cli = pl.read_csv(io.StringIO(out.getvalue()))
    assert cli.get_column("period").to_list() == labels


def test_a_backward_range_is_a_period_error(data: eh.Dataset) -> None:
    with pytest.raises(eh.errors.PeriodError, match="must not be after"):
        eh.compute(data, profile="derby-2014-15", period="2014-15:2013-14")


def _cli(*args: str) -> str:
    out = io.StringIO()

    with contextlib.redirect_stdout(out):
        assert main(list(args)) == EXIT_OK
    return out.getvalue()


COMMON = ("compute", DEMO, "--profile", "derby-2014-15", "--period", "2014-15", "--by", "team")


def _read_workbook(path: Path, *, every_element: bool = True) -> pl.DataFrame:
    sheets = pl.read_excel(path, sheet_id=0, infer_schema_length=0)
    if every_element:
        assert list(sheets) == [e.heading for e in Element]
    for heading, sheet in sheets.items():
        elements = {CATALOGUE[m].element.heading for m in sheet.get_column("measure_id")}
        assert elements == {heading}
    return pl.concat(sheets.values(), how="vertical")


def test_xlsx_reads_back_with_the_same_figures_as_csv(tmp_path: Path) -> None:
    csv = pl.read_csv(io.StringIO(_cli(*COMMON, "--format", "csv")), infer_schema=False)
    raw = tmp_path / "raw.xlsx"
    _cli(*COMMON, "--format", "xlsx", "--raw", "--out", str(raw))
    book = _read_workbook(raw).filter(pl.col("breakdown").is_null())
    keys = ["measure_id", "period", "level", "unit_id"]
    assert book.height == csv.height
    left = book.select(
        *keys,
        pl.col("numerator", "denominator").str.replace(r"\.0$", ""),
        pl.col("presented").alias("value"),
    )
    right = csv.select(*keys, "numerator", "denominator", pl.col("value").fill_null("[x]"))
    assert sorted(left.rows(), key=str) == sorted(right.rows(), key=str)
    # The published workbook (the default) shows the same figures, but small ones hidden.
    published = tmp_path / "published.xlsx"
    _cli(*COMMON, "--format", "xlsx", "--output", str(published))
    shown = _read_workbook(published).filter(pl.col("breakdown").is_null())
    joined = shown.join(right, on=keys, how="inner", suffix="_csv")
    assert joined.height == csv.height
    hidden = joined.filter(pl.col("presented") == "[c]")
    assert hidden.height, "the demo by team has small counts to hide"
    assert (
        joined.filter(pl.col("presented") != "[c]")
        .select((pl.col("presented") == pl.col("value")).all())
        .item()
    )
    counts = joined.filter(pl.col("numerator") != "[c]")
    assert counts.select(
        (pl.col("numerator") == pl.col("numerator_csv").fill_null("[x]")).all()
    ).item()


def test_xlsx_cells_are_text_never_formulas(tmp_path: Path, data: eh.Dataset) -> None:
    teams = data["teams"].with_columns(pl.lit("=1+1").alias("name"))
    frames = {name: data[name] for name in data.names}
    frames["teams"] = teams.with_columns(
        pl.when(pl.col("team_id") == pl.col("team_id").first())
        .then(pl.lit("=HYPERLINK(1)"))
        .otherwise(pl.col("team_id"))
        .alias("team_id")
    )
    results = eh.compute(
        eh.load(frames), profile="derby-2014-15", period="2014-15 Q1", measures=["open_cases"]
    )
    target = results.write_xlsx(tmp_path / "f.xlsx", published=False)

    with zipfile.ZipFile(target) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        xml = "".join(archive.read(n).decode() for n in sheets)
    assert "<f>" not in xml
    book = _read_workbook(target, every_element=False)
    assert "=HYPERLINK(1)" in book.get_column("unit_id").to_list()


def test_xlsx_needs_an_output_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*COMMON, "--format", "xlsx"]) == EXIT_ERROR
    assert "--output" in capsys.readouterr().err
