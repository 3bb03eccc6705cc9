"""PLOVER and CAMEO interop codes for a meeting, from its kind and roles."""

from schemas import Codes, Kind, PloverMode, Role


def codes_for(kind: Kind, roles: list[Role]) -> Codes:
    """PLOVER mode and CAMEO codes as the contract maps them."""
    if kind is Kind.PHONE_CALL:
        return Codes(plover_mode=PloverMode.PHONE, cameo=["041"])
    if kind is Kind.VIDEO_CONFERENCE:
        return Codes(plover_mode=PloverMode.PHONE, cameo=["040"])
    if kind is Kind.MULTILATERAL_MEETING:
        return Codes(plover_mode=PloverMode.MULTILATERAL, cameo=["040"])
    if Role.HOST in roles or Role.GUEST in roles:
        return Codes(plover_mode=PloverMode.VISIT, cameo=["042", "043"])
    return Codes(plover_mode=PloverMode.THIRD_PARTY, cameo=["044"])
