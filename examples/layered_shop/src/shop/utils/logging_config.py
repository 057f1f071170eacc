"""Logging setup: plain text for developers, JSON lines in production."""
from __future__ import annotations

import json
import logging
import logging.config
import os
from datetime import datetime, timezone

_CONFIGURED = False


class JsonFormatter(logging.Formatter):
    """One JSON object per line, as expected by the log shipper."""

    RESERVED = frozenset(vars(logging.makeLogRecord({})))

    def format(self, record: logging.LogRecord) -> str:
        payload = {
            "ts": datetime.fromtimestamp(record.created, timezone.utc).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        extras = {k: v for k, v in vars(record).items() if k not in self.RESERVED}
        payload.update({k: str(v) for k, v in extras.items()})
        if record.exc_info:
            payload["exception"] = self.formatException(record.exc_info)
        return json.dumps(payload, ensure_ascii=False)


def configure_logging(level: str | None = None, json_output: bool | None = None) -> None:
    """Configure the root logger once; later calls are no-ops."""
    global _CONFIGURED
    if _CONFIGURED:
        return
    level = (level or os.environ.get("SHOP_LOG_LEVEL", "INFO")).upper()
    if json_output is None:
        json_output = os.environ.get("SHOP_ENV", "dev") == "production"
    formatter = "json" if json_output else "plain"
    logging.config.dictConfig(
        {
            "version": 1,
            "disable_existing_loggers": False,
            "formatters": {
                "plain": {"format": "%(asctime)s %(levelname)-7s %(name)s: %(message)s"},
                "json": {"()": JsonFormatter},
            },
            "handlers": {
                "console": {"class": "logging.StreamHandler", "formatter": formatter},
            },
            "root": {"level": level, "handlers": ["console"]},
            "loggers": {"sqlalchemy.engine": {"level": "WARNING"}},
        }
    )
    _CONFIGURED = True


def get_logger(name: str) -> logging.Logger:
    """Logger for a module; configures logging on first use."""
    configure_logging()
    return logging.getLogger(name)
