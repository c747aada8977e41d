"""What a preview found and a commit did, as shown to staff and printed as JSON."""

from dataclasses import dataclass, field
from typing import Any

PHASES = {"reading": "读取文件", "checking": "检查数据", "writing": "写入档案"}


@dataclass
class Report:
    kind: str
    file: str
    total_rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    mapping: dict[str, str] = field(default_factory=dict)
    guests: dict[str, int] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    committed: bool = False
    error: str = ""

    @property
    def rejected_rows(self) -> int:
        return len({(e.get("file", ""), e["row"]) for e in self.rejected})

    def as_json(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "updated": self.updated,
            "rejected": self.rejected,
            "rejected_rows": self.rejected_rows,
            "unchanged": self.unchanged,
            "total_rows": self.total_rows,
            "warnings": self.warnings,
            "ignored_columns": self.ignored_columns,
            "mapping": self.mapping,
            "columns": list(self.mapping),
            "guests": self.guests,
            "counts": self.counts,
            "kind": self.kind,
            "file": self.file,
            "committed": self.committed,
            "error": self.error,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Report":
        names = set(cls.__dataclass_fields__)
        report = cls(**{k: v for k, v in data.items() if k in names})
        report.mapping = in_file_order(report.mapping, data.get("columns", []))
        return report


def in_file_order(mapping: dict[str, str], columns: list[str]) -> dict[str, str]:
    """``mapping`` with its headings in the file's order.

    PostgreSQL's jsonb keeps object keys in an order of its own, so the order of the
    columns is stored beside the mapping.
    """
    ordered = {heading: mapping[heading] for heading in columns if heading in mapping}
    ordered.update((h, f) for h, f in mapping.items() if h not in ordered)
    return ordered


def warning(row: int, column: str, value: str, message: str) -> dict[str, Any]:
    return {"row": row, "column": column, "value": value, "message": message}
