"""Logging set-up: a rotating file in the data directory and stderr.

Never write a citizen's phone number or a token to a log: every handler's output
passes through ``Redactor``, which masks mainland mobile and landline numbers,
anything that looks like a bearer token, and the exact secrets registered with
``add_secret`` (the platform token is registered as soon as it is known).
"""

from __future__ import annotations

import logging
import logging.handlers
import re
import sys
from pathlib import Path

_SECRETS: set[str] = set()

_PATTERNS = [
    # mobile numbers, optionally +86 / 86 prefixed
    (re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d{9}(?!\d)"), "1**********"),
    # landlines like 021-58880100 / 02158880100
    (re.compile(r"(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)"), "0**-********"),
    (re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]+"), r"\1***"),
    (re.compile(r"(?i)((?:token|pin|password|pin_hash)[\"']?\s*[:=]\s*[\"']?)[^\s\"',&}]+"), r"\1***"),
    # a reporter's contact fields and PIN verifiers/proofs/signatures in a logged dict or JSON
    # (a name may hold spaces: up to the closing quote, comma or brace)
    (re.compile(r"(?i)((?:reporter_name|reporter_phone|reporter_address)[\"']?\s*[:=]\s*"
                r"[\"']?)[^\"',}\n]+"), r"\1***"),
    (re.compile(r"(?i)\b((?:verifier|proof|sig)[\"']?\s*[:=]\s*[\"']?)[^\s\"'}]+"), r"\1***"),
]


def add_secret(secret: str | None) -> None:
    if secret and len(secret) >= 3:
        _SECRETS.add(secret)


def redact(text: str) -> str:
    for secret in _SECRETS:
        if secret in text:
            text = text.replace(secret, "***")
    for pattern, repl in _PATTERNS:
        text = pattern.sub(repl, text)
    return text


class Redactor(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class QuietFileHandler(logging.handlers.RotatingFileHandler):
    """The log file; a disk that is full (or gone) costs one line on stderr, not one
    "--- Logging error ---" traceback per record. Writing resumes by itself once a
    record goes through again (space freed), and that is said once too."""

    def __init__(self, *a, **kw) -> None:
        super().__init__(*a, **kw)
        self.failing = False
        self._ok = False

    def emit(self, record: logging.LogRecord) -> None:
        self._ok = False
        super().emit(record)          # flush() on success, handleError() on failure
        if self._ok and self.failing:
            self.failing = False      # space again: the next failure is said again

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 - logging's name
        if not self.failing:
            self.failing = True
            exc = sys.exc_info()[1]
            try:
                sys.stderr.write(f"duty-console: cannot write the log file {self.baseFilename}: "
                                 f"{exc.__class__.__name__}: {exc}; further log lines are dropped "
                                 f"until it can be written again\n")
            except Exception:  # noqa: BLE001 - stderr itself may be gone
                pass

    def flush(self) -> None:
        super().flush()
        self._ok = True

    def close(self) -> None:
        try:
            super().close()
        except OSError:   # the last buffered lines could not be written either: said already
            self.stream = None


FORMAT = "%(asctime)s %(levelname)-7s %(threadName)s %(name)s: %(message)s"


def setup(log_file: Path | None, level: str = "INFO", stderr: bool = True,
          stderr_level: str = "WARNING") -> None:
    """Configure the root logger once (calling again replaces our handlers)."""
    root = logging.getLogger()
    for h in list(root.handlers):
        if getattr(h, "_duty_console", False):
            root.removeHandler(h)
            h.close()
    root.setLevel(getattr(logging, level.upper(), logging.INFO))
    fmt = Redactor(FORMAT)
    if log_file is not None:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        fh = QuietFileHandler(log_file, maxBytes=2_000_000, backupCount=5,
                                                  encoding="utf-8", delay=True)
        fh.setFormatter(fmt)
        fh._duty_console = True  # type: ignore[attr-defined]
        root.addHandler(fh)
    if stderr:
        sh = logging.StreamHandler(sys.stderr)
        sh.setLevel(getattr(logging, stderr_level.upper(), logging.WARNING))
        sh.setFormatter(fmt)
        sh._duty_console = True  # type: ignore[attr-defined]
        root.addHandler(sh)
    logging.captureWarnings(True)
    for noisy in ("urllib3", "requests", "asyncio", "uvicorn.access"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
