"""Purpose statistics: aggregated over organisation or unit, never per person."""

from __future__ import annotations

import pytest

from civicpost.feedback import purposes
from civicpost.people.models import Unit

from .conftest import make_draft

pytestmark = pytest.mark.django_db


def _total(stats: purposes.PurposeStatistics, value: str) -> int:
    index = [p[0] for p in stats.purposes].index(value)
    return stats.totals[index]


def test_counts_organisational_posts_by_purpose_over_organisation_and_unit(ministry) -> None:
    anna, bram = ministry["anna"], ministry["bram"]
    make_draft(anna, "@waterveiligheid@social.example", purpose="explaining-policy")
    make_draft(anna, "@waterveiligheid@social.example", purpose="explaining-policy")
    make_draft(bram, "@dijkenduinen@social.example", purpose="official-information")
    make_draft(anna, "@anna.devries@mastodon.example", purpose="trends")  # personal: not counted
    organisation = anna.organisation
    whole = purposes.statistics(organisation)
    assert _total(whole, "explaining-policy") == 2
    assert _total(whole, "official-information") == 1
    assert _total(whole, "trends") == 0
    assert len(whole.purposes) == 7
    water = purposes.statistics(organisation, Unit.objects.get(name="Waterveiligheid"))
    assert _total(water, "explaining-policy") == 2
    assert _total(water, "official-information") == 0
    # The Communicatie unit sits under Bestuursstaf: a parent unit includes its children.
    staff = purposes.statistics(organisation, Unit.objects.get(name="Bestuursstaf"))
    assert _total(staff, "official-information") == 1


def test_page_has_chart_and_table_and_ignores_any_person_filter(ministry, login) -> None:
    make_draft(ministry["anna"], "@waterveiligheid@social.example", purpose="explaining-policy")
    client = login("femke")
    page = client.get("/feedback/purposes/").content.decode()
    assert "<svg" in page and 'role="img"' in page
    assert "<caption>" in page and "<tfoot>" in page
    narrowed = client.get(f"/feedback/purposes/?author={ministry['anna'].pk}").content.decode()
    assert narrowed == page.replace(
        "/feedback/purposes/", f"/feedback/purposes/?author={ministry['anna'].pk}"
    ) or narrowed.count("<td>1</td>") == page.count("<td>1</td>")
