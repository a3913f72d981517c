"""The one family of errors the `gazette` command reports as a single line.

Every refusal of bad input is a GazetteError whose message is one sentence naming the file (and the
line when known); the command prints it as `gazette: error: …` and exits 1, never with a traceback.
"""

from __future__ import annotations


class GazetteError(Exception):
    """Bad input or a refused operation: the message is one sentence naming the file (and line)."""


class ConversionError(GazetteError):
    """A source or its issue.yml cannot be converted, or the archive would hold an issue twice."""


class ConfigError(GazetteError):
    """gazette.yml is not valid."""
