"""Data for the design system's table: a view builds a ``Table`` and the page renders ``{% table table %}``.

Why data rather than markup: a table that becomes a list of cards on a phone needs every cell to know its
column's name (``data-label``), and a page author who writes ``<table>`` by hand forgets it. Building rows in
Python keeps the template one component and lets tests read the same rows a person sees.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

TAG_VARIANTS = ("neutral", "info", "success", "warning", "error")


@dataclass(frozen=True)
class Tag:
    """A status word shown as a tag: its colour repeats the word, never replaces it."""

    label: str
    variant: str = "neutral"

    def __post_init__(self) -> None:
        if self.variant not in TAG_VARIANTS:
            raise ValueError(f"unknown tag variant {self.variant!r}; use one of {TAG_VARIANTS}")


@dataclass(frozen=True)
class Column:
    label: str
    numeric: bool = False


@dataclass
class Cell:
    """One value. ``template`` (with ``context``) draws a cell that holds more than text, such as a button."""

    text: Any = ""
    url: str | None = None
    tag: Tag | None = None
    note: Any = None
    template: str | None = None
    context: Mapping[str, Any] = field(default_factory=dict)
    column_label: str = ""
    numeric: bool = False


@dataclass
class Row:
    cells: list[Cell]
    highlight: bool = False
    id: str | None = None


@dataclass
class Table:
    """A caption, columns and rows; the first cell of a row is its header when ``row_headers``."""

    caption: str
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)
    empty: str = ""
    caption_hidden: bool = False
    row_headers: bool = True
    extra_class: str = ""

    def add(self, *values: Any, highlight: bool = False, id: str | None = None) -> Row:
        """Append a row; a plain value becomes a text cell. Cells learn their column's name here."""
        if len(values) != len(self.columns):
            raise ValueError(f"{len(values)} cells for {len(self.columns)} columns in {self.caption!r}")
        cells = [value if isinstance(value, Cell) else Cell(text=value) for value in values]
        for cell, column in zip(cells, self.columns, strict=True):
            cell.column_label = str(column.label)
            cell.numeric = column.numeric
        row = Row(cells=cells, highlight=highlight, id=id)
        self.rows.append(row)
        return row

    def extend(self, rows: Iterable[Iterable[Any]]) -> Table:
        for values in rows:
            self.add(*values)
        return self
