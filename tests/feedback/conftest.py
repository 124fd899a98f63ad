"""Drafts by anna on her personal account and on the Waterveiligheid account."""

from __future__ import annotations

import pytest

from civicpost.drafts import services as drafts
from civicpost.drafts.models import Draft
from civicpost.people.models import Account, Person

TEXT = "Vandaag met Hanna Havenga de nieuwe dijk bij Petten bekeken. Mooi werk!"


def make_draft(author: Person, handle: str, text: str = TEXT, purpose: str = "trends") -> Draft:
    account = Account.objects.get(handle=handle)
    return drafts.save_draft(author, account, purpose, text)


@pytest.fixture
def personal_draft(ministry: dict[str, Person]) -> Draft:
    return make_draft(ministry["anna"], "@anna.devries@mastodon.example")


@pytest.fixture
def org_draft(ministry: dict[str, Person]) -> Draft:
    return make_draft(ministry["anna"], "@waterveiligheid@social.example")
