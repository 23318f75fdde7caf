"""Local fakes of the registry: the people known to the center (org.Person) stand in for the nation."""

from __future__ import annotations

from .protocol import PersonRecord


class PersonTableRegistry:
    """In-process fake: answers from org.Person."""

    def lookup(self, national_id: str) -> PersonRecord | None:
        from motcua.org.models import Person

        person = Person.objects.select_related("commune").filter(national_id=national_id).first()
        if person is None:
            return None
        return PersonRecord(
            national_id=person.national_id,
            full_name=person.full_name,
            birth_date=person.birth_date,
            gender=person.gender,
            commune_code=person.commune.code if person.commune else "",
            address=person.address,
        )


class StaticRegistry:
    """A fixed answer set (tests): a dict of records; `unavailable=True` simulates an outage."""

    def __init__(self, records: dict[str, PersonRecord] | None = None, *, unavailable: bool = False):
        self.records = dict(records or {})
        self.unavailable = unavailable

    def lookup(self, national_id: str) -> PersonRecord | None:
        from .protocol import RegistryUnavailable

        if self.unavailable:
            raise RegistryUnavailable("registry offline (fake)")
        return self.records.get(national_id)
