"""The one error family: every refusal or failure a user can cause is a GazetteError, whose message
is one sentence naming the file (and line when known). The CLI prints it as one line and exits 1."""


class GazetteError(Exception):
    """Bad input or a failed step, explained in one sentence."""
