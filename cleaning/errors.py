"""The project's one error family: the CLI turns these into a message and an exit code."""


class CorpusError(Exception):
    """A problem the user can act on: `message` says what happened, `hint` what to do."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}\n{self.hint}" if self.hint else self.message
