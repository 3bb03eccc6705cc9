"""Values kept for objects by identity, each for as long as its object lives."""

import weakref
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class ByIdentity(Generic[K, V]):
    """Values kept for objects, hashable or not, by identity; an entry goes when its object does.

    Only for objects never changed once built: a value stays valid for its object's whole life.
    """

    def __init__(self) -> None:
        self._held: dict[int, tuple[_Ref[K], V]] = {}
        self._on_death = self._forget

    def __len__(self) -> int:
        return len(self._held)

    def get(self, key: K) -> V | None:
        """The value kept for ``key``, if any."""
        held = self._held.get(id(key))
        return held[1] if held is not None and held[0]() is key else None

    def pop(self, key: K) -> V | None:
        """The value kept for ``key``, if any, no longer kept."""
        value = self.get(key)
        if value is not None:
            del self._held[id(key)]
        return value

    def put(self, key: K, value: V) -> None:
        """Keep ``value`` for ``key`` while ``key`` lives."""
        ref = _Ref(key, self._on_death)
        ref.ident = id(key)
        self._held[ref.ident] = (ref, value)

    def _forget(self, ref: "weakref.ref[K]") -> None:
        assert isinstance(ref, _Ref)
        held = self._held.get(ref.ident)
        if held is not None and held[0] is ref:
            del self._held[ref.ident]


class _Ref(weakref.ref[K]):
    """A weak reference that remembers the identity of its object."""

    __slots__ = ("ident",)
    ident: int
