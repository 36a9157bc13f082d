"""The cohort's Parquet datasets (``OUT/days``, ``OUT/activities``): one schema for all.

Each participant's task writes its own partition, with the columns its activities give (a
cyclist's totals have power columns a runner's lack). After the tasks, :func:`unify_dataset`
gives every partition the union of the columns, in one order and with one type each (missing
columns as nulls) and writes ``_common_metadata``, so that pandas, Dask, DuckDB and Spark read
the folder without merging schemas. :func:`remove_participants` deletes the outputs of
participants no longer in the manifest.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from myokinetics.cohort.participant import ACTIVITIES, DAYS, LIBRARY, STATE

__all__ = ["PARTITION_FILE", "remove_participants", "stored_participants", "unify_dataset"]

#: The one data file of each participant's partition folder.
PARTITION_FILE = "part-0.parquet"
_PREFIX = "participant="


def stored_participants(out: Path) -> set[str]:
    """Ids of the participants with any output under ``out``."""
    ids = {path.name for path in (out / LIBRARY).glob("*") if path.is_dir()}
    ids |= {path.stem for path in (out / STATE).glob("*.json")}
    for name in (DAYS, ACTIVITIES):
        ids |= {path.name[len(_PREFIX):] for path in (out / name).glob(_PREFIX + "*")}
    return ids


def remove_participants(out: Path, keep: set[str]) -> list[str]:
    """Delete the outputs (library, partitions, state) of every participant not in ``keep``;
    returns their ids, sorted. The state file goes first: a run killed halfway leaves a
    participant that a later run recomputes or removes, never one counted as done."""
    removed = sorted(stored_participants(out) - keep)
    for participant in removed:
        (out / STATE / f"{participant}.json").unlink(missing_ok=True)
        for folder in (out / DAYS / f"{_PREFIX}{participant}",
                       out / ACTIVITIES / f"{_PREFIX}{participant}",
                       out / LIBRARY / participant):
            shutil.rmtree(folder, ignore_errors=True)
    return removed


def unify_dataset(root: Path) -> pa.Schema | None:
    """Rewrite the partitions under ``root`` whose schema differs from the union of all, and
    write ``root/_common_metadata``; returns the union (None when there is no partition).

    Types: one type per column; numbers of different types become float64, anything else
    that differs becomes string; a column a partition lacks is null there.
    """
    files = sorted(root.glob(f"{_PREFIX}*/{PARTITION_FILE}"))
    if not files:
        (root / "_common_metadata").unlink(missing_ok=True)
        return None
    schemas = {file: pq.read_schema(file) for file in files}
    union = _union([schema.remove_metadata() for schema in schemas.values()])
    for file, schema in schemas.items():
        if not schema.equals(union, check_metadata=True):
            _rewrite(file, union)
    temp = root / f"._common_metadata.{uuid.uuid4().hex}"
    pq.write_metadata(union, temp)
    os.replace(temp, root / "_common_metadata")
    return union


def _union(schemas: list[pa.Schema]) -> pa.Schema:
    """Columns in order of first appearance, each with :func:`_common_type` of its types."""
    types: dict[str, list[pa.DataType]] = {}
    for schema in schemas:
        for field in schema:
            types.setdefault(field.name, []).append(field.type)
    return pa.schema([(name, _common_type(found)) for name, found in types.items()])


def _common_type(types: list[pa.DataType]) -> pa.DataType:
    known = [t for t in types if not pa.types.is_null(t)]
    if not known:  # null in every partition: a number column with no value yet
        return pa.float64()
    if all(t.equals(known[0]) for t in known):
        return known[0]
    if all(pa.types.is_integer(t) or pa.types.is_floating(t) for t in known):
        return pa.float64()
    return pa.large_string()


def _rewrite(file: Path, schema: pa.Schema) -> None:
    """``file`` with ``schema``'s columns: missing ones null, the others cast; atomically."""
    table = pq.read_table(file).replace_schema_metadata(None)
    columns = [table.column(field.name).cast(field.type) if field.name in table.column_names
               else pa.nulls(table.num_rows, field.type) for field in schema]
    temp = file.with_name(f".{file.name}.{uuid.uuid4().hex}")
    pq.write_table(pa.Table.from_arrays(columns, schema=schema), temp)
    os.replace(temp, file)
