"""The synthetic demo dataset: deterministic, valid against the schemas, shaped like the source."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from earlyhelp.demo import demo_path, generate_demo, write_demo
from earlyhelp.io import SCHEMAS, Kind

SMALL = {"cases_per_year": 200, "neet_cohort": 300}
FY_2014 = (dt.date(2014, 4, 1), dt.date(2015, 3, 31))
QUARTERS_2014 = [
    (dt.date(2014, 4, 1), dt.date(2014, 6, 30)),
    (dt.date(2014, 7, 1), dt.date(2014, 9, 30)),
    (dt.date(2014, 10, 1), dt.date(2014, 12, 31)),
    (dt.date(2015, 1, 1), dt.date(2015, 3, 31)),
]


@pytest.fixture(scope="module")
def demo() -> dict[str, pl.DataFrame]:
    return generate_demo()


def test_same_seed_same_frames_and_different_seed_different_frames() -> None:
    first, again = generate_demo(**SMALL), generate_demo(**SMALL)
    assert all(first[name].equals(again[name]) for name in SCHEMAS)
    other = generate_demo(seed=1, **SMALL)
    assert not first["cases"].equals(other["cases"])
    assert not first["neet"].equals(other["neet"])


def test_every_table_has_the_declared_columns_and_types(demo: dict[str, pl.DataFrame]) -> None:
    assert list(demo) == list(SCHEMAS)
    for name, schema in SCHEMAS.items():
        assert demo[name].schema == pl.Schema(schema.polars_schema), name
        assert demo[name].height > 0, name


def test_columns_keys_and_row_rules_hold(demo: dict[str, pl.DataFrame]) -> None:
    for name, schema in SCHEMAS.items():
        frame = demo[name]
        for column in schema.columns:
            values = frame[column.name]
            if column.required:
                assert values.null_count() == 0, (name, column.name)
            if column.kind in (Kind.ID, Kind.TEXT):
                texts = values.drop_nulls().cast(pl.String)
                assert (texts.str.strip_chars() != "").all(), (name, column.name)
            if column.codes:
                assert set(values.drop_nulls().unique()) <= set(column.codes), (name, column.name)
            if column.minimum is not None:
                assert values.min() >= column.minimum, (name, column.name)  # type: ignore[operator]
            if column.maximum is not None:
                assert values.max() <= column.maximum, (name, column.name)  # type: ignore[operator]
        if schema.key is not None:
            assert frame[schema.key].is_unique().all(), name
        for rule in schema.rules:
            checked = frame.drop_nulls(list(rule.fields))
            assert checked.filter(rule.broken()).height == 0, (name, rule.code)


def test_cross_table_rules(demo: dict[str, pl.DataFrame]) -> None:
    cases, end = demo["cases"], dt.date(2015, 3, 31)
    assert cases["closure_reason"].is_null().sum() == cases["closed"].is_null().sum() > 0
    for name, column in [("cases", "opened"), ("referrals", "referral_date"), ("audits", "completed"),
                         ("social_care_episodes", "ended"), ("spider_readings", "reading_date")]:  # fmt: skip
        assert demo[name][column].max() <= end, name  # type: ignore[operator]
    assert set(cases["team_id"]) <= set(demo["teams"]["team_id"])
    assert set(cases["person_id"]) <= set(demo["children"]["person_id"])
    assert set(demo["social_care_episodes"]["person_id"]) <= set(demo["children"]["person_id"])
    assert set(demo["neet"]["person_id"]) <= set(demo["children"]["person_id"])
    # referrals come before their cases
    joined = cases.join(demo["referrals"], on="referral_id")
    assert joined.height == cases.height
    assert (joined["referral_date"] <= joined["opened"]).all()
    # ages: children under 18 while open
    aged = cases.join(demo["children"], on="person_id")
    age = (aged["opened"] - aged["date_of_birth"]).dt.total_days()
    assert age.min() >= 0  # type: ignore[operator]
    assert age.max() < 18 * 365  # type: ignore[operator]
    # audit grades on derby-0-4
    assert set(demo["audits"]["scale"]) == {"derby-0-4"}
    grades = pl.concat([demo["audit_grades"]["grade"], demo["audits"]["overall_rating"]])
    assert grades.drop_nulls().is_between(0, 4).all()
    assert demo["audit_grades"]["measure"].n_unique() == 19
    # spider scores on their scales; readings in stage and date order
    readings = demo["spider_readings"].join(demo["spider_scales"], on="scale")
    assert readings["score"].is_between(readings["minimum"], readings["maximum"]).all()
    per_graph = (
        demo["spider_readings"]
        .with_columns(order=pl.col("stage").replace_strict({"start": 0, "review": 1, "end": 2}))
        .group_by("graph_id")
        .agg(
            pl.col("order").diff().min().alias("stage_step"),
            pl.col("reading_date").diff().min().alias("date_step"),
            (pl.col("stage") == "start").sum().alias("starts"),
        )
    )
    assert (per_graph["stage_step"] >= 0).all()
    assert (per_graph["date_step"] >= dt.timedelta(0)).all()
    assert (per_graph["starts"] == demo["spider_scales"].height).all()  # one start reading
    # NEET months are the first of Nov, Dec or Jan
    assert set(demo["neet"]["record_month"].dt.month()) == {11, 12, 1}


def test_open_cases_at_each_quarter_end(demo: dict[str, pl.DataFrame]) -> None:
    cases = demo["cases"]
    for _, end in QUARTERS_2014:
        stock = cases.filter(
            (pl.col("opened") <= end) & (pl.col("closed").is_null() | (pl.col("closed") > end))
        ).height
        assert 550 <= stock <= 850, (end, stock)


def test_rereferrals_within_three_months_of_closure(demo: dict[str, pl.DataFrame]) -> None:
    start, end = FY_2014
    cases = demo["cases"].select("episode_id", "person_id", "opened", "closed")
    earlier = cases.select("person_id", pl.col("closed").alias("before")).drop_nulls()
    rereferred = (
        cases.filter(pl.col("opened").is_between(start, end))
        .join(earlier, on="person_id")
        .filter(
            (pl.col("before") < pl.col("opened"))
            & (pl.col("opened") <= pl.col("before").dt.offset_by("3mo"))
        )
        .select("episode_id")
        .unique()
        .height
    )
    worked = cases.filter(
        (pl.col("opened") <= end) & (pl.col("closed").is_null() | (pl.col("closed") >= start))
    ).height
    assert 0.08 <= rereferred / worked <= 0.16


def test_escalations_share_of_closures_each_quarter(demo: dict[str, pl.DataFrame]) -> None:
    for start, end in QUARTERS_2014:
        closed = demo["cases"].filter(pl.col("closed").is_between(start, end))
        escalated = (closed["closure_reason"] == "escalated_to_social_care").sum()
        assert 0.08 <= escalated / closed.height <= 0.20, (start, escalated, closed.height)


def test_surveys_spider_graphs_and_audits(demo: dict[str, pl.DataFrame]) -> None:
    surveys = demo["surveys"]
    assert 120 <= surveys.filter(pl.col("received").is_between(*FY_2014)).height <= 200
    for question in ("respected", "listened_to", "helped"):
        assert 0.70 <= (surveys[question] == "yes").mean() <= 0.90  # type: ignore[operator]
    assert (surveys["respected"] == "not_answered").any()
    totals = demo["spider_readings"].group_by("graph_id", "stage").agg(pl.col("score").sum())
    wide = totals.pivot("stage", index="graph_id", values="score")
    assert 0.55 <= (wide["end"] > wide["start"]).mean() <= 0.75  # type: ignore[operator]
    audits = demo["audits"].filter(pl.col("scheduled").is_between(*FY_2014))
    assert 60 <= audits.height <= 110
    assert 0.5 <= audits["completed"].is_not_null().mean() <= 0.7  # type: ignore[operator]


def test_social_care_and_neet_shapes(demo: dict[str, pl.DataFrame]) -> None:
    end = dt.date(2014, 12, 31)
    episodes = demo["social_care_episodes"].filter(
        (pl.col("started") <= end) & (pl.col("ended").is_null() | (pl.col("ended") > end))
    )
    counts = dict(episodes.group_by("kind").len().iter_rows())
    assert 700 <= counts["cin"] <= 1100
    assert 200 <= counts["cp"] <= 400
    assert 350 <= counts["cic"] <= 570
    neet = demo["neet"].filter(pl.col("record_month") == dt.date(2014, 11, 1))
    assert 8_000 <= neet.height <= 10_000
    codes = neet["activity_code"].cast(pl.Int64)
    assert 0.04 <= codes.is_between(540, 699).mean() <= 0.08  # type: ignore[operator]
    assert 0.02 <= codes.is_between(800, 899).mean() <= 0.05  # type: ignore[operator]
    population = demo["population"].filter(pl.col("year") == 2014)
    city = population.filter(pl.col("area_id") == "derby")["children"].item()
    assert 55_000 <= city <= 65_000
    assert population.filter(pl.col("area_id") != "derby")["children"].sum() == city


def test_write_demo_writes_one_csv_per_table(tmp_path: Path) -> None:
    paths = write_demo(tmp_path, **SMALL)
    assert [p.name for p in paths] == [f"{name}.csv" for name in SCHEMAS]
    cases = pl.read_csv(tmp_path / "cases.csv", try_parse_dates=True)
    assert cases.height == generate_demo(**SMALL)["cases"].height
    assert "true" in (tmp_path / "spider_scales.csv").read_text()


def test_bundled_demo_is_present_and_is_the_documented_generation(tmp_path: Path) -> None:
    directory = demo_path()
    files = sorted(directory.glob("*.csv"))
    assert [p.stem for p in files] == sorted(SCHEMAS)
    # the source city's size: a few megabytes, not tens
    assert sum(p.stat().st_size for p in files) < 5_000_000
    # exactly what the module docstring says made it
    write_demo(tmp_path, seed=2015, neet_cohort=3000)
    for path in files:
        assert path.read_bytes() == (tmp_path / path.name).read_bytes(), path.name


def _graded(demo: dict[str, pl.DataFrame], start: dt.date, end: dt.date) -> pl.DataFrame:
    """Grade counts per measure of the audits scheduled in [start, end] and completed."""
    done = demo["audits"].filter(
        pl.col("scheduled").is_between(start, end) & pl.col("completed").is_not_null()
    )
    return (
        demo["audit_grades"]
        .join(done.select("audit_id"), on="audit_id")
        .drop_nulls("grade")
        .group_by("measure", "grade")
        .len()
    )


@pytest.mark.parametrize("first", [dt.date(2013, 4, 1), dt.date(2014, 4, 1)])
def test_audits_each_year_are_the_source_reports_86_scheduled_and_52_completed(
    demo: dict[str, pl.DataFrame], first: dt.date
) -> None:
    # The source report: "a possible 86 audits ... 52 of the audits were completed".
    last = first.replace(year=first.year + 1) - dt.timedelta(days=1)
    audits = demo["audits"].filter(pl.col("scheduled").is_between(first, last))
    assert audits.height == 86
    assert audits["completed"].is_not_null().sum() == 52
    # an audit is of a case open on the day it is scheduled
    cases = demo["cases"].select("episode_id", "opened", "closed")
    joined = audits.join(cases, on="episode_id")
    assert joined.height == audits.height
    assert (joined["opened"] <= joined["scheduled"]).all()
    assert (joined["closed"].is_null() | (joined["closed"] >= joined["scheduled"])).all()


def test_audit_grade_counts_publish_whole_and_tell_strengths_from_weaknesses(
    demo: dict[str, pl.DataFrame],
) -> None:
    counts = _graded(demo, *FY_2014)
    rare = pl.col("measure").is_in(
        ["Missing Episode", "Care leavers and Young people away from home"]
    )
    # every count is 0 (absent) or at least the published threshold, 5: nothing suppressed
    assert counts.filter(~rare)["len"].min() >= 5  # type: ignore[operator]
    graded = counts.group_by("measure").agg(pl.col("len").sum().alias("graded"))
    assert graded.height == 19
    assert (graded.filter(~rare)["graded"] == 52).all()  # every completed audit grades them
    # the two rarely applicable measures are graded so seldom that they are hidden
    assert (graded.filter(rare)["graded"] < 5).all()
    shares = (
        counts.with_columns(good=pl.col("grade") >= 3, poor=pl.col("grade") <= 1)
        .group_by("measure")
        .agg(
            (pl.col("len") * pl.col("good")).sum().alias("good"),
            (pl.col("len") * pl.col("poor")).sum().alias("poor"),
        )
    )
    by_measure = {m: (g, p) for m, g, p in shares.iter_rows()}
    engagement = by_measure["Engagement & participation - Child"]
    reviews = by_measure["Reviews"]
    assert engagement[0] > reviews[0]  # a strength beside a weakness
    assert reviews[1] > engagement[1]
