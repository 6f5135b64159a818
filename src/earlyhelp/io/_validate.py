"""Bulk validation of one table against its schema, in polars expressions.

Every row read ends up either accepted (typed, in the accepted frame) or
rejected (one problem per failed check, in the report); never both, never
neither. No per-row Python runs: all checks are columnar expressions evaluated in
one lazy query.
"""

from __future__ import annotations

import functools
import itertools
import operator
from collections.abc import Mapping
from typing import Any, Final

import attrs
import polars as pl

from earlyhelp.errors import LoadError
from earlyhelp.io._parsing import ColumnPlan, code_shaped, expected_text, parse_expr, survey
from earlyhelp.io._readers import TextTable, clean_name
from earlyhelp.io._report import PROBLEM_SCHEMA, TableReport
from earlyhelp.io._schema import Column, Kind, TableSchema, normalise_name

__all__ = ["ValidatedTable", "match_columns", "validate"]

# Internal column names: source columns are named c0, c1... by position (see
# TextTable), so these can never collide with a header.
_ROW: Final = "__row"
_BAD: Final = "__bad"
_DUPLICATE: Final = "__duplicate_key"


@attrs.frozen
class ValidatedTable:
    """A table's accepted rows (typed) and its load report."""

    accepted: pl.DataFrame = attrs.field(eq=False)
    rows: pl.Series = attrs.field(eq=False)
    """The source row number of each accepted row, aligned with ``accepted``."""
    report: TableReport


def match_columns(
    names: list[str], schema: TableSchema, *, source: str
) -> tuple[dict[str, str], tuple[str, ...]]:
    """Match a source's headers to the schema's columns, loosely.

    Returns:
        ``{schema column: source header}`` for every matched column, and the
        source headers that matched nothing (ignored).

    Raises:
        LoadError: two headers name the same column, or a required column is missing.
    """
    lookup: dict[str, str] = {}
    for column in schema.columns:
        for name in (column.name, *column.aliases):
            lookup.setdefault(normalise_name(name), column.name)
    matched: dict[str, str] = {}
    ignored: list[str] = []
    for header in names:
        target = lookup.get(normalise_name(header))
        if target is None:
            ignored.append(header)
        elif target in matched:
            msg = (
                f"{source}: columns {clean_name(matched[target])!r} and {clean_name(header)!r} "
                f"both name {schema.name}.{target}; keep one"
            )
            raise LoadError(msg)
        else:
            matched[target] = header
    missing = [c.name for c in schema.columns if c.required and c.name not in matched]
    if missing:
        msg = f"{source}: table {schema.name} is missing required column(s) {', '.join(missing)}"
        raise LoadError(msg)
    return matched, tuple(ignored)


def _flag(name: str) -> str:
    return f"__bad_{name}"


def _unknown_code(raw: pl.Expr, name: str, expected: str) -> pl.Expr:
    """The problem message for an unknown code: the code, if shaped like one, and what was expected.

    Example:
        >>> frame = pl.DataFrame({"r": ["NFA", "she told me", "12/03/2015"]})
        >>> for text in frame.select(_unknown_code(pl.col("r"), "route", "expected one of vcm"))[
        ...     "r"]:
        ...     print(text)
        'NFA' is not a route code; expected one of vcm
        not a route code; expected one of vcm
        not a route code; expected one of vcm
    """
    text = raw.cast(pl.String).str.strip_chars()  # a code may be read as Categorical
    shown = pl.when(code_shaped(text)).then(pl.format("'{}' is ", text))
    return pl.concat_str([shown.fill_null(""), pl.lit(f"not a {name} code; {expected}")]).alias(
        raw.meta.output_name()
    )


@attrs.define
class _Query:
    """The staged expressions of one validation and the checks they flag.

    Stage 1 reads each source column once: its text, or its mapped typed value.
    Stage 2 parses text. Stage 3 flags problems from columns already computed, and
    stage 4 applies row rules to typed columns, so no expression runs twice.
    """

    stage1: list[pl.Expr] = attrs.Factory(lambda: [pl.col(_ROW)])
    stage2: list[pl.Expr] = attrs.Factory(list)
    stage3: list[pl.Expr] = attrs.Factory(list)
    stage4: list[pl.Expr] = attrs.Factory(list)
    checks: list[tuple[str, str, str, pl.Expr | str]] = attrs.Factory(list)
    """Each check: its flag column, the field, a code and the message."""
    key: tuple[str, ...] = ()
    changed: list[str] = attrs.Factory(list)
    """The columns flagging identifiers changed by cleaning."""

    def add_column(self, column: Column, plan: ColumnPlan) -> None:
        name, text, flag = column.name, f"__text_{column.name}", _flag(column.name)
        expected = expected_text(column)
        if plan.source is not None and plan.text is not None:
            changed = f"__changed_{name}"
            self.stage1.append(
                (plan.source.is_not_null() & plan.text.ne_missing(plan.source)).alias(changed)
            )
            self.changed.append(changed)
        message: pl.Expr | str = expected
        if plan.mapped is not None:
            self.stage1 += [plan.mapped[0].alias(name), plan.mapped[1].alias(flag)]
            missing = pl.col(name).is_null() & ~pl.col(flag)
            if column.kind is Kind.CODE and plan.source is not None:
                self.stage1.append(plan.source.alias(f"__raw_{name}"))
                message = _unknown_code(pl.col(f"__raw_{name}"), name, expected)
        else:
            self.stage1.append(
                (plan.text if plan.text is not None else pl.lit(None, dtype=pl.String)).alias(text)
            )
            self.stage2.append(parse_expr(column, pl.col(text)).cast(column.dtype).alias(name))
            missing = pl.col(text).is_null()
            if expected:
                invalid = pl.col(text).is_not_null() & pl.col(name).is_null()
                self.stage3.append(invalid.alias(flag))
        if column.required:
            self.stage3.append(missing.alias(f"{flag}_missing"))
            self.checks.append((f"{flag}_missing", name, "missing", "required, but empty"))
        if expected:
            self.checks.append((flag, name, f"invalid-{column.kind.value}", message))

    def add_rules(self, schema: TableSchema) -> None:
        field_ok = _field_ok(schema, {flag for flag, *_ in self.checks})
        for rule in schema.rules:
            flag = f"__rule_{rule.code}"
            applies = pl.all_horizontal(*(field_ok[name] for name in rule.fields))
            self.stage4.append((applies & rule.broken().fill_null(False)).alias(flag))
            self.checks.append((flag, rule.fields[0], rule.code, rule.message()))

    def add_key(self, key: tuple[str, ...]) -> None:
        self.key = key  # flagged after the query: see _duplicates
        self.checks.append((_DUPLICATE, key[0], "duplicate-key", f"duplicate {', '.join(key)}"))

    def run(self, frame: pl.DataFrame) -> pl.DataFrame:
        """Every stage's columns and the flags, every column in one chunk layout."""
        staged = frame.lazy().select(self.stage1)
        for stage in (self.stage2, self.stage3, self.stage4):
            if stage:
                staged = staged.with_columns(stage)
        flags = [flag for flag, *_ in self.checks]
        any_bad = pl.any_horizontal(*flags) if flags else pl.lit(False)
        if not self.key:
            return _aligned(staged.with_columns(any_bad.alias(_BAD)).collect(engine="in-memory"))
        result = staged.collect(engine="in-memory")
        # The flags are combined as series, as any_horizontal would, and the frame
        # is put together from its series: the duplicate flag is one chunk, so an
        # expression or with_columns over the frame would first copy every column
        # into one chunk (0.3 s at 1M spider readings, measured).
        duplicate = _duplicates(result, self.key).alias(_DUPLICATE)
        flagged = (result.get_column(flag) for flag in flags if flag != _DUPLICATE)
        bad = functools.reduce(operator.or_, flagged, duplicate).alias(_BAD)
        return _aligned(pl.DataFrame([*result.get_columns(), duplicate, bad]))


def _aligned(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with every column in chunks of the same lengths, copying nothing.

    A column parsed through a look-up (a date, a code) comes out of validation
    in one chunk, while those read as written keep the reader's chunks. Polars
    copies a whole frame into one chunk before any expression over a frame whose
    columns are chunked differently, so every later query would pay for that
    copy (283 MB for any query over the spider readings at 1M cases, measured).
    One-chunk columns are sliced (no copy) to the chunks the others share;
    columns chunked in different ways are joined into one chunk.

    Example:
        >>> two = pl.concat([pl.DataFrame({"a": [1, 2]}), pl.DataFrame({"a": [3]})])
        >>> frame = two.with_columns(pl.Series("b", ["x", "y", "z"]))
        >>> frame.n_chunks("all"), _aligned(frame).n_chunks("all")
        ([2, 1], [2, 2])
        >>> _aligned(frame).equals(frame)
        True
    """
    columns = frame.get_columns()
    layouts = {tuple(c.chunk_lengths()) for c in columns if c.n_chunks() > 1}
    if not layouts:
        return frame
    if len(layouts) > 1:
        return frame.rechunk()
    (lengths,) = layouts
    starts = [0, *itertools.accumulate(lengths[:-1])]
    return pl.DataFrame(
        [
            column
            if column.n_chunks() > 1
            else pl.concat(
                [
                    column.slice(start, length)
                    for start, length in zip(starts, lengths, strict=True)
                ],
                rechunk=False,
            )
            for column in columns
        ]
    )


def _duplicates(result: pl.DataFrame, key: tuple[str, ...]) -> pl.Series:
    """True on each row whose key was used on an earlier row.

    Hashes find the few keys that may repeat; only their rows are compared exactly,
    so how the hashes are combined decides the work, never the answer. Each key
    column is hashed on its own, with its own seed, and the hashes are combined
    by exclusive or: a third of one hash of the key's columns as a struct. The
    columns are taken as series, not through an expression over ``result``,
    whose columns are chunked differently (polars would first copy them all into
    one chunk). At 1M cases the spider readings' check (four key columns) went
    from 0.6 to 0.2 s.

    Example:
        >>> frame = pl.DataFrame({_ROW: [1, 2, 3, 4], "a": ["x", "x", "y", "x"], "b": [1, 2, 1, 1]})
        >>> _duplicates(frame, ("a", "b")).to_list()
        [False, False, False, True]
        >>> _duplicates(frame.with_columns(b=None), ("a", "b")).to_list()  # a null key repeats nothing
        [False, False, False, False]
    """
    columns = [result.get_column(name) for name in key]
    hashes = functools.reduce(
        operator.xor, (column.hash(seed) for seed, column in enumerate(columns, start=1))
    )
    if any(column.has_nulls() for column in columns):
        present = functools.reduce(operator.and_, (column.is_not_null() for column in columns))
        hashes = pl.select(pl.when(present).then(hashes)).to_series()
    ordered = hashes.drop_nulls().sort()  # sorting u64s is cheaper than hashing them again
    repeated = ordered.filter(ordered == ordered.shift(1)).unique()
    if repeated.is_empty():
        return pl.repeat(False, result.height, eager=True)
    values = pl.col(key[0]) if len(key) == 1 else pl.struct(key)
    candidates = result.select(_ROW, *key).filter(hashes.is_in(repeated.implode()))
    later = candidates.filter(~values.is_first_distinct()).get_column(_ROW)
    return result.get_column(_ROW).is_in(later.implode())


def _as_text_table(frame: pl.DataFrame | TextTable, source: str, whitespace: bool) -> TextTable:
    if isinstance(frame, TextTable):
        return frame
    return TextTable(
        frame=frame.select(pl.col(name).alias(f"c{i}") for i, name in enumerate(frame.columns)),
        headers=tuple(frame.columns),
        where=source,
        whitespace=whitespace,
    )


def validate(
    frame: pl.DataFrame | TextTable,
    schema: TableSchema,
    *,
    source: str | None = None,
    whitespace: bool = True,
    fold_ids: bool = False,
    rejected_before: pl.DataFrame | None = None,
) -> ValidatedTable:
    """Validate an all-text table against ``schema``, in bulk.

    Args:
        frame: the source table as read (see :func:`earlyhelp.io._readers.read_text`),
            or an all-text frame whose column names are the headers.
        schema: the table's declared schema.
        source: where the rows came from, for the report (default: the table's own).
        whitespace: for a plain frame, whether it may hold whitespace at all;
            when unsure, leave it true.
        fold_ids: identifiers are case-insensitive: lower-case them when read
            (see :func:`earlyhelp.io.clean_id`).
        rejected_before: rows a format reader rejected before building the
            table (one problem per row, e.g. a source row with more or fewer
            fields than its header); they count as read and rejected.

    Returns:
        The accepted rows with the schema's columns and types, and the report.

    Raises:
        LoadError: headers that cannot be matched (see :func:`match_columns`), or
            a column the table needs that holds no plain values.
    """
    table = _as_text_table(frame, source or "<frame>", whitespace)
    source = table.where if source is None else source
    matched, ignored = match_columns(list(table.headers), schema, source=source)
    position: dict[str, int] = {}
    for index, header in enumerate(table.headers):
        position.setdefault(header, index)
    for name, header in matched.items():
        if position[header] in table.unreadable:
            msg = (
                f"{source}: column {clean_name(header)!r} ({schema.name}.{name}) holds values "
                "that are not one plain value per cell; expected text, numbers or dates"
            )
            raise LoadError(msg)
    source_names = {name: f"c{position[header]}" for name, header in matched.items()}
    present = [(c, source_names[c.name]) for c in schema.columns if c.name in matched]
    key_headers = [source_names[c] for c in schema.key if c in matched]
    plans, maybe_duplicated = survey(
        table.frame, present, key_headers, whitespace=table.whitespace, fold_ids=fold_ids
    )
    query = _Query()
    for column in schema.columns:
        query.add_column(column, plans.get(column.name, ColumnPlan(None, None)))
    query.add_rules(schema)
    if schema.key and maybe_duplicated:
        query.add_key(schema.key)
    numbered = (
        table.frame.with_row_index(_ROW, offset=1)
        if table.rows is None
        else table.frame.with_columns(table.rows.alias(_ROW))
    )
    result = query.run(_aligned(numbered))
    ids_changed = sum(int(result.get_column(c).sum()) for c in query.changed)
    typed = result.select(schema.polars_schema.keys())  # aligned by run
    rows = result.get_column(_ROW).cast(pl.Int64).rename("row")
    if result.get_column(_BAD).any():
        good = ~result.get_column(_BAD)
        accepted, rows = typed.filter(good), rows.filter(good)
        needed = {_ROW, _BAD, *schema.key, *(flag for flag, *_ in query.checks)}
        for *_, message in query.checks:
            if not isinstance(message, str):
                needed.update(message.meta.root_names())
        kept = [c for c in result.columns if c in needed]
        rejected = result.lazy().filter(pl.col(_BAD)).select(kept).collect()
    else:  # the usual case: skip copying every column through a filter
        accepted, rejected = typed, result.clear()
    problems = _problems(rejected, query.checks)
    if schema.key and _DUPLICATE in rejected.columns and rejected.get_column(_DUPLICATE).any():
        # only when some key repeats: the rows found are then named (a join of every key)
        problems = _name_first_rows(result, problems, schema.key)
    if table.ragged:
        problems = pl.concat([problems, _ragged_problems(table)]).sort("row", maintain_order=True)
    before = 0
    if rejected_before is not None and rejected_before.height:
        before = rejected_before.height
        problems = pl.concat([problems, rejected_before]).sort("row", maintain_order=True)
    lacking = _lacking(accepted, schema)
    report = TableReport(
        table=schema.name,
        source=source,
        read=result.height + len(table.ragged) + before,
        accepted=accepted.height,
        rejected=rejected.height + len(table.ragged) + before,
        problems=problems,
        **_ignored(table, ignored),
        absent_columns=tuple(c.name for c in schema.columns if c.name not in matched),
        ids_changed=ids_changed,
        lacking=lacking,
    )
    return ValidatedTable(accepted=accepted, rows=rows, report=report)


def _ignored(table: TextTable, ignored: tuple[str, ...]) -> dict[str, Any]:
    """The ignored headers to name, or only their number if the header row is suspect.

    A suspect header row (see :class:`TextTable`) may be a data row, or hold one:
    naming its cells could print a value.
    """
    if table.suspect_header and ignored:
        return {"withheld_columns": len(ignored)}
    return {"ignored_columns": tuple(clean_name(header) for header in ignored)}


RAGGED_FIELD: Final = "(row)"
"""The field named by a rejection of a whole row (too many or too few fields)."""


def _ragged_problems(table: TextTable) -> pl.DataFrame:
    width = len(table.headers)
    return pl.DataFrame(
        {
            "row": [row for row, _ in table.ragged],
            "field": [RAGGED_FIELD] * len(table.ragged),
            "code": ["ragged-row"] * len(table.ragged),
            "message": [
                f"has {fields} field{'s' if fields != 1 else ''}; expected {width} as in the header"
                for _, fields in table.ragged
            ],
        },
        schema=PROBLEM_SCHEMA,
    )


def _lacking(accepted: pl.DataFrame, schema: TableSchema) -> tuple[tuple[str, int, str], ...]:
    """Accepted rows lacking each optional field some figures need, with what leaves them out."""
    needed = [c for c in schema.columns if c.needed_by is not None and not c.required]
    if not needed or accepted.is_empty():
        return ()
    counts = accepted.select(pl.col(c.name).null_count() for c in needed).row(0)
    return tuple(
        (column.name, int(count), str(column.needed_by))
        for column, count in zip(needed, counts, strict=True)
        if count
    )


def _name_first_rows(
    result: pl.DataFrame, problems: pl.DataFrame, key: tuple[str, ...]
) -> pl.DataFrame:
    """Say on which earlier row each duplicated key was first used."""
    duplicated = result.filter(pl.col(_DUPLICATE)).select(key).unique()
    # Only the rows of repeated keys matter: find them with one semi join.
    rows = result.select(pl.col(_ROW).cast(pl.Int64).alias("row"), *key).join(
        duplicated, on=list(key), how="semi", nulls_equal=False
    )
    first = rows.group_by(key).agg(pl.col("row").min().alias("__first"))
    keyed = rows.join(first, on=list(key), how="inner")
    return (
        problems.with_row_index("__order")
        .join(keyed, on="row", how="left")
        .with_columns(
            pl.when(pl.col("code") == "duplicate-key")
            .then(pl.format("{}: first used on row {}", pl.col("message"), pl.col("__first")))
            .otherwise(pl.col("message"))
            .alias("message")
        )
        .sort("__order")
        .select(PROBLEM_SCHEMA.keys())
    )


def _field_ok(schema: TableSchema, flags: set[str]) -> Mapping[str, pl.Expr]:
    """For each column, an expression true where it has no parse problem."""
    ok: dict[str, pl.Expr] = {}
    for column in schema.columns:
        own = [f for f in (_flag(column.name), f"{_flag(column.name)}_missing") if f in flags]
        ok[column.name] = ~pl.any_horizontal(*own) if own else pl.lit(True)
    return ok


def _problems(
    rejected: pl.DataFrame, checks: list[tuple[str, str, str, pl.Expr | str]]
) -> pl.DataFrame:
    """One row per failed check of each rejected row: row, field, code, message."""
    if rejected.is_empty():
        return pl.DataFrame(schema=PROBLEM_SCHEMA)
    frames = []
    for order, (flag, field, code, message) in enumerate(checks):
        text = pl.lit(message) if isinstance(message, str) else message
        frames.append(
            rejected.filter(pl.col(flag)).select(
                pl.col(_ROW).cast(pl.Int64).alias("row"),
                pl.lit(field).alias("field"),
                pl.lit(code).alias("code"),
                text.cast(pl.String).alias("message"),
                pl.lit(order).alias("__order"),
            )
        )
    return pl.concat(frames).sort("row", "__order").drop("__order")
