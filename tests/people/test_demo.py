"""The demo ministry has what a newcomer needs to try every part."""

from __future__ import annotations

from civicpost.people import demo, services
from civicpost.people.models import Account, Consent, Organisation, Person, Unit


def test_demo_has_the_people_and_roles_the_guidance_needs(ministry):
    assert Unit.objects.count() >= 3
    assert Person.objects.count() >= 10
    roles = set(Person.objects.values_list("role", flat=True))
    assert {"spokesperson", "manager", "archivist", "minister"} <= roles
    assert Person.objects.filter(is_spokesperson=True).exists()
    assert Organisation.objects.get().decider.role == "minister"
    assert all(person.dossiers for person in Person.objects.all())


def test_demo_has_both_kinds_of_account_on_the_main_channels(ministry):
    for kind in ("organisational", "personal"):
        channels = set(Account.objects.filter(kind=kind).values_list("channel", flat=True))
        assert {"mastodon", "bluesky", "linkedin"} <= channels
    org_channels = set(
        Account.objects.filter(kind="organisational").values_list("channel", flat=True)
    )
    assert {"rss", "website"} <= org_channels
    assert Consent.objects.exists()


def test_anna_sees_both_kinds_of_her_accounts(ministry):
    kinds = {account.kind for account in services.accounts_for(ministry["anna"])}
    assert kinds == {"organisational", "personal"}


def test_loading_the_demo_twice_changes_nothing(ministry):
    before = Person.objects.count()
    assert demo.load_demo() is False
    assert Person.objects.count() == before


def test_demo_names_are_obviously_fictional(ministry):
    for account in Account.objects.all():
        assert "example" in account.handle
