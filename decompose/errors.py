"""The errors decompose reports to its users: a small hierarchy, each with a slug and exit code."""

from __future__ import annotations


class DecomposeError(Exception):
    """An error to show as one line, with the exit code the CLI returns."""

    slug = "error"
    exit_code = 2


class UsageError(DecomposeError):
    """Bad options or arguments."""

    slug = "usage"


class ConfigError(DecomposeError):
    """A configuration file or value that cannot be used."""

    slug = "config"


class InputError(DecomposeError):
    """The target to analyse, or a file given on the command line, is unusable."""

    slug = "input"


class OutputError(DecomposeError):
    """An output could not be written where it was asked for."""

    slug = "output"
