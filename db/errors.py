"""Domain errors carry a message a person can act on, and the field it belongs to, so the
form can show it beside that field."""
from __future__ import annotations


class DomainError(Exception):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class PermissionDenied(DomainError):
    pass


class ValidationFailed(DomainError):
    """Input was refused; `errors` maps each field to its message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        field, message = next(iter(errors.items()))
        super().__init__(message, field)


class NotFound(DomainError):
    pass


class ConflictError(DomainError):
    """Someone else saved the record since it was read. `stored` holds their values, so the
    form can keep what this user typed and show the stored values beside it."""

    def __init__(self, message: str, stored: dict):
        super().__init__(message)
        self.stored = stored


def from_pydantic(error) -> ValidationFailed:
    """Turn a pydantic ValidationError into field messages. Model-level validators put the
    field first in their message ("ends_at: ...")."""
    errors: dict[str, str] = {}
    for item in error.errors():
        message = str(item.get("msg", "")).removeprefix("Value error, ")
        field = ".".join(str(part) for part in item.get("loc", ()) if part != "__root__")
        if not field and ": " in message:
            field, message = message.split(": ", 1)
        errors.setdefault(field or "form", message)
    return ValidationFailed(errors)
