"""PLOVER and CAMEO interop codes for a meeting, from its kind and roles."""

from schemas import Kind, PloverMode, Role

CodeFields = dict[str, PloverMode | list[str]]
"""The fields of :class:`schemas.Codes` but its constant PLOVER event type."""


def codes_for(kind: Kind, roles: list[Role]) -> CodeFields:
    """PLOVER mode and CAMEO codes as the contract maps them, as fields for one validation of the whole event."""
    if kind is Kind.PHONE_CALL:
        return {"plover_mode": PloverMode.PHONE, "cameo": ["041"]}
    if kind is Kind.VIDEO_CONFERENCE:
        return {"plover_mode": PloverMode.PHONE, "cameo": ["040"]}
    if kind is Kind.MULTILATERAL_MEETING:
        return {"plover_mode": PloverMode.MULTILATERAL, "cameo": ["040"]}
    if Role.HOST in roles or Role.GUEST in roles:
        return {"plover_mode": PloverMode.VISIT, "cameo": ["042", "043"]}
    return {"plover_mode": PloverMode.THIRD_PARTY, "cameo": ["044"]}
