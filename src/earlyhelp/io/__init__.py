"""Loading data: schemas, format readers, validation and the :class:`Dataset`.

Every row read is accepted or rejected with its row number, field and reason;
accepted + rejected = read.
"""

from earlyhelp.io._dataset import Dataset, load
from earlyhelp.io._exports import FORMULA_STARTS, neutralise, neutralise_cell, write_csv
from earlyhelp.io._minimise import minimise_frame
from earlyhelp.io._readers import SUFFIXES, Source, TextTable, decode_text, read_text
from earlyhelp.io._records import (
    audits_to_frames,
    frame_to_records,
    frames_to_audits,
    frames_to_spider_graphs,
    records_to_frame,
    spider_graphs_to_frames,
)
from earlyhelp.io._report import LoadReport, Rejection, TableReport
from earlyhelp.io._schema import Column, Kind, RowRule, TableSchema
from earlyhelp.io._tables import SCHEMAS
from earlyhelp.io._validate import ValidatedTable, validate

__all__ = [
    "FORMULA_STARTS",
    "SCHEMAS",
    "SUFFIXES",
    "Column",
    "Dataset",
    "Kind",
    "LoadReport",
    "Rejection",
    "RowRule",
    "Source",
    "TableReport",
    "TableSchema",
    "TextTable",
    "ValidatedTable",
    "audits_to_frames",
    "decode_text",
    "frame_to_records",
    "frames_to_audits",
    "frames_to_spider_graphs",
    "load",
    "minimise_frame",
    "neutralise",
    "neutralise_cell",
    "read_text",
    "records_to_frame",
    "spider_graphs_to_frames",
    "validate",
    "write_csv",
]
