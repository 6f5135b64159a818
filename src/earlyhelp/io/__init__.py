"""Loading data: schemas, format readers, validation and the :class:`Dataset`.

Every row read is accepted or rejected with its row number, field and reason;
accepted + rejected = read.
"""

from earlyhelp.io._dataset import Dataset, load
from earlyhelp.io._exports import FORMULA_STARTS, neutralise, neutralise_cell, write_csv
from earlyhelp.io._formats._annex_a import LIST_COLUMNS, unlettered
from earlyhelp.io._formats._care_periods import periods_of_care
from earlyhelp.io._formats._cin_census import CENSUS_YEARS, CensusYear
from earlyhelp.io._formats._gather import FORMATS
from earlyhelp.io._formats._nccis import record_month
from earlyhelp.io._formats._ssd import CLOSURE_CROSSWALK, SSD_FIELDS, SSD_TABLES
from earlyhelp.io._formats._ssda903 import EPISODE_COLUMNS, HEADER_COLUMNS
from earlyhelp.io._minimise import minimise_frame, postcode_district
from earlyhelp.io._parsing import NULL_TEXTS, SENTINEL_DATE, clean_id, code_shaped
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
    "CENSUS_YEARS",
    "CLOSURE_CROSSWALK",
    "EPISODE_COLUMNS",
    "FORMATS",
    "FORMULA_STARTS",
    "HEADER_COLUMNS",
    "LIST_COLUMNS",
    "NULL_TEXTS",
    "SCHEMAS",
    "SENTINEL_DATE",
    "SSD_FIELDS",
    "SSD_TABLES",
    "SUFFIXES",
    "CensusYear",
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
    "clean_id",
    "code_shaped",
    "decode_text",
    "frame_to_records",
    "frames_to_audits",
    "frames_to_spider_graphs",
    "load",
    "minimise_frame",
    "neutralise",
    "neutralise_cell",
    "periods_of_care",
    "postcode_district",
    "read_text",
    "record_month",
    "records_to_frame",
    "spider_graphs_to_frames",
    "unlettered",
    "validate",
    "write_csv",
]
