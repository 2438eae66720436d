"""Rows of a query of columns through SQLAlchemy Core: the reporting layer's reads.

``Session.execute`` runs even a query of plain columns through the ORM, whose per-row loading
costs a third again of the fetch on thousands of rows. Core returns the same rows.

A statement the reporting layer runs on every page is built once per process (:func:`prepared`):
SQLAlchemy works out a new statement's cache key each time it runs it (about 0.1 ms for a small
select, longer than SQLite takes to answer it), and building the statement costs half that again;
a statement built once keeps its key. A dashboard runs some twenty of them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import bindparam

from tracker.extensions import db

Builder = TypeVar("Builder", bound=Callable)


def prepared(build: Builder) -> Builder:
    """``build`` called once per process for each set of arguments, its statement kept.

    Its arguments decide only the statement's shape (scoped to some subprojects or not), never a
    value: values are bind parameters (:func:`param`, :func:`param_list`), given by name to
    :func:`column_rows`."""
    return functools.cache(build)  # type: ignore[return-value]


def param(name: str):
    """A value given when the statement runs."""
    return bindparam(name)


def param_list(name: str):
    """A list of values given when the statement runs, for ``column.in_(param_list("ids"))``."""
    return bindparam(name, expanding=True)


def column_rows(statement, **params) -> list:
    """The rows of ``statement``, a ``select`` of columns, with its bind parameters' values.
    Flushes first, as ``Session.execute`` does, so a change made earlier in the request counts."""
    if db.session.autoflush:
        db.session.flush()
    return db.session.connection().execute(statement, params).all()
