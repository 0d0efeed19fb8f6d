"""The importer's limits, read at the time of each import (tests and deployments may lower them)."""

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 10_000
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
