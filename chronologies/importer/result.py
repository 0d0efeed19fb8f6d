"""What an import read: the rows, every problem, and where the rows came from."""

from dataclasses import dataclass, field


@dataclass
class ImportResult:
    rows: list[dict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Where the rows came from, so the confirmation can say what was read: 'the sheet
    # "Chronology"' or 'the CSV file', and the spreadsheet row numbers (as the spreadsheet shows
    # them) of the first and last rows with entries.
    source: str = ""
    first_row: int | None = None
    last_row: int | None = None
    # What separates a CSV file's values, as detected: "commas", "semicolons" or "tabs".
    separator: str = ""
    # The spreadsheet row number of the headings (1 unless title rows are above them).
    heading_row: int | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def read_summary(self) -> str:
        """What was read, in words a user can check against the file they opened."""
        if not self.rows:
            return ""
        count = len(self.rows)
        rows = "row" if count == 1 else "rows"
        span = (
            f"row {self.first_row}"
            if self.first_row == self.last_row
            else f"rows {self.first_row} to {self.last_row}"
        )
        details = [span]
        if self.heading_row and self.heading_row != 1:
            details.insert(0, f"headings in row {self.heading_row}")
        if self.separator:
            details.insert(0, f"values separated by {self.separator}")
        return f"{count:,} {rows} read from {self.source} ({'; '.join(details)})"
