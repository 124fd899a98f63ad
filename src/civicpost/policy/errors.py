"""Errors raised by the policy engine."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PolicyProblem:
    """One problem in a policy pack, pointing at the file and line that causes it."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class PolicyError(Exception):
    """A policy pack could not be loaded; ``problems`` lists every reason at once."""

    def __init__(self, problems: list[PolicyProblem]) -> None:
        self.problems = list(problems)
        summary = "\n".join(str(p) for p in self.problems)
        super().__init__(f"{len(self.problems)} problem(s) in policy:\n{summary}")


class InputError(ValueError):
    """A draft given to ``check`` is not usable (for example its text is not a string)."""
