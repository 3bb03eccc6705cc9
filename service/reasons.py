"""Readable, one-line reasons for errors, for dead letters and command output."""

from pydantic import ValidationError


def describe(error: BaseException) -> str:
    """A one-line reason a person can act on."""
    if isinstance(error, ValidationError):
        parts = []
        for item in error.errors(include_url=False, include_input=False)[:5]:
            where = ".".join(str(p) for p in item["loc"]) or "message"
            if item["type"] == "missing":
                parts.append(f"missing field: {where}")
            else:
                parts.append(f"{where}: {item['msg']}")
        return "; ".join(parts)
    return str(error) or type(error).__name__
