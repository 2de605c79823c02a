"""Reading an event log from a SQL database: a DB-API connection or a URL, plus a query.

* a DB-API 2.0 connection (``sqlite3.connect(...)``, psycopg, ...): the query runs on a
  cursor, so no driver-specific pandas support is needed;
* a SQLAlchemy engine or connection: through ``pandas.read_sql_query``;
* a URL string such as ``sqlite:///path.db`` or ``postgresql://...``: SQLAlchemy when it is
  installed; without it, ``sqlite:///`` URLs are opened read-only with the standard library
  and other URLs are refused with the fix (install SQLAlchemy).

``query`` may be a full SELECT or just a table name (read whole).
"""

from __future__ import annotations

import contextlib
import importlib.util
import re
import sqlite3
from pathlib import Path
from typing import Any

import pandas as pd

from leanproc.errors import LogError

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*$")


def is_url(source: object) -> bool:
    """Whether a string looks like a database URL (``scheme://...``, not a file path)."""
    return isinstance(source, str) and bool(_URL.match(source)) and not source.startswith("file://")


def is_connection(source: object) -> bool:
    """Whether an object is a DB-API connection or a SQLAlchemy engine / connection."""
    module = type(source).__module__ or ""
    return module.startswith("sqlalchemy") or (
        hasattr(source, "cursor") and callable(source.cursor)
    )


def describe(source: object) -> str:
    """A short name of the database for messages (no password)."""
    if isinstance(source, str):
        return re.sub(r"//([^:/@]+):[^@/]*@", r"//\1:***@", source)
    return f"{type(source).__module__}.{type(source).__name__}"


def _statement(query: str | None, where: str) -> str:
    if query is None or not str(query).strip():
        raise LogError(
            "a SQL source needs query=: a SELECT returning one row per event, or a table "
            "name. Example: query='SELECT case_id, activity, end_time FROM events'.",
            source=where,
        )
    query = str(query).strip()
    if _IDENTIFIER.match(query):
        quoted = ".".join(f'"{part}"' for part in query.split("."))
        return f"SELECT * FROM {quoted}"
    return query


def _from_cursor(connection: Any, statement: str, where: str) -> pd.DataFrame:
    cursor = connection.cursor()
    try:
        cursor.execute(statement)
        if cursor.description is None:
            raise LogError(
                f"the query returned no result set: {statement!r}. Fix: pass a SELECT.",
                source=where,
            )
        names = [d[0] for d in cursor.description]
        rows = cursor.fetchall()
    finally:
        with contextlib.suppress(Exception):  # closing is best effort; the rows stand
            cursor.close()
    return pd.DataFrame.from_records(rows, columns=names, coerce_float=True)


def read_sql_frame(source: object, query: str | None) -> pd.DataFrame:
    """Run the query and return its rows as a raw DataFrame (types as the driver gives them)."""
    where = describe(source)
    statement = _statement(query, where)
    try:
        if isinstance(source, str):
            return _from_url(source, statement, where)
        if (type(source).__module__ or "").startswith("sqlalchemy"):
            from sqlalchemy import text

            return pd.read_sql_query(text(statement), source)
        return _from_cursor(source, statement, where)
    except LogError:
        raise
    except Exception as exc:  # each driver has its own error classes
        raise LogError(
            f"the query failed: {type(exc).__name__}: {exc}. Query: {statement!r}. Fix: check "
            "the table and column names (a table name alone reads the whole table).",
            source=where,
        ) from exc


def _from_url(url: str, statement: str, where: str) -> pd.DataFrame:
    if importlib.util.find_spec("sqlalchemy") is not None:
        from sqlalchemy import create_engine, text

        engine = create_engine(url)
        try:
            with engine.connect() as connection:
                return pd.read_sql_query(text(statement), connection)
        finally:
            engine.dispose()
    if not url.startswith("sqlite:///"):
        raise LogError(
            f"reading {url.split('://')[0]}:// URLs needs SQLAlchemy and a driver. Fix: pip "
            "install sqlalchemy (plus the database driver), or pass an open DB-API "
            "connection as the source.",
            source=where,
        )
    path = url[len("sqlite:///") :]
    if not path or path == ":memory:":
        raise LogError(
            "an in-memory SQLite URL holds no data. Fix: pass the open sqlite3 connection.",
            source=where,
        )
    if not Path(path).is_file():
        raise LogError(f"no SQLite database file at {path!r}.", source=where)
    connection = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        return _from_cursor(connection, statement, where)
    finally:
        connection.close()
