"""The same words judged in their context: account, author, colleagues, dossiers, calendar."""

from __future__ import annotations

from pathlib import Path

from civicpost.policy import Policy, load_policy
from tests.policy.conftest import hits, run, serious_topics

ORG = {"kind": "organisational", "channel": "mastodon"}
PERSONAL = {"kind": "personal", "channel": "mastodon"}


def test_party_politics_is_an_error_on_organisational_and_a_warning_on_personal(
    policy: Policy,
) -> None:
    # R-NL-01: banned on official accounts, a warning on personal ones.
    text = "Stem op de SP!"
    org = run(policy, text, account=ORG)
    personal = run(policy, text, account=PERSONAL)
    assert [f["level"] for f in org["findings"] if f["rule"] == "GCCO.VoteCall"] == ["error"]
    assert [f["level"] for f in personal["findings"] if f["rule"] == "GCCO.VoteCall"] == ["warning"]


def test_own_field_criticism_needs_overlap_with_the_authors_dossiers(policy: Policy) -> None:
    # R-NL-02: restraint on one's own dossiers; criticism elsewhere is free speech.
    text = "Het nieuwe beleid voor warmtenetten is een fiasco."
    mine = run(policy, text, author={"dossiers": ["warmtenetten"]})
    other = run(policy, text, author={"dossiers": ["onderwijs"]})
    found = [f for f in mine["findings"] if f["rule"] == "GCCO.OwnFieldCriticism"]
    assert found and found[0]["level"] == "warning"
    assert "warmtenetten" in text[found[0]["start"] : found[0]["end"]]
    assert "fiasco" in found[0]["message"]
    assert "own-field" not in {f["topic"] for f in other["findings"]}


def test_dossier_overlap_shows_in_the_domain_evidence(policy: Policy) -> None:
    result = run(
        policy,
        "Mooie presentatie over warmtenetten gegeven op het congres.",
        author={"dossiers": ["warmtenetten"]},
    )
    assert result["domain"]["label"] == "function"
    assert "matches dossier 'warmtenetten'" in result["domain"]["evidence"]


def test_the_organisations_account_on_the_authors_dossier_speaks_as_the_organisation(
    policy: Policy,
) -> None:
    """The webcare officer whose dossier is waste writes the waste message on the organisation's
    account: that is the organisation speaking, not the officer in their function."""
    text = "Donderdag is het Hemelvaartsdag. Wij halen het afval dan op zaterdag op."
    org = run(
        policy,
        text,
        account={"kind": "organisational", "channel": "mastodon"},
        author={"dossiers": ["afval"]},
    )
    personal = run(
        policy,
        text,
        account={"kind": "personal", "channel": "mastodon"},
        author={"dossiers": ["afval"]},
    )
    assert org["domain"]["label"] == "organisation"
    assert "matches dossier 'afval'" in org["domain"]["evidence"]
    assert personal["domain"]["label"] == "function"


def test_colleague_without_consent_is_flagged_on_the_name(policy: Policy) -> None:
    # R-NL-11 / BL-C: know how colleagues feel before naming them.
    text = "Top werk van Sanne Jansen en @piet vandaag!"
    colleagues = [
        {"name": "Sanne Jansen", "handle": "@sanne", "consent": False},
        {"name": "Piet de Vries", "handle": "@piet", "consent": True},
    ]
    result = run(policy, text, colleagues=colleagues)
    assert [h for h in hits(result, text) if h[0] == "Burgerlink.Colleagues"] == [
        ("Burgerlink.Colleagues", "Sanne Jansen")
    ]
    assert result["domain"]["label"] == "department"


def test_colleague_with_consent_is_not_flagged(policy: Policy) -> None:
    text = "Top werk van Sanne Jansen vandaag!"
    result = run(policy, text, colleagues=[{"name": "Sanne Jansen", "consent": True}])
    assert "colleagues" not in {f["topic"] for f in result["findings"]}


def test_service_phone_number_is_not_personal_data(policy: Policy) -> None:
    text = "Vragen over de afvalinzameling? Bel de gemeente op 14 0318 of 0800-0543."
    result = run(policy, text, account=ORG)
    assert "personal-data" not in {f["topic"] for f in result["findings"]}


def test_switchboard_number_after_bel_is_only_a_suggestion(policy: Policy) -> None:
    text = "Bel ons klantcontactcentrum via 030 123 4567."
    result = run(policy, text, account=ORG)
    levels = [f["level"] for f in result["findings"] if f["topic"] == "personal-data"]
    assert levels == ["suggestion"]


def test_polling_station_reminder_is_clean(policy: Policy) -> None:
    for text in (
        "Het stembureau is open tot 21:00, neem je ID mee.",
        "Polling stations are open until 9pm. Bring your ID and go and vote!",
    ):
        assert serious_topics(run(policy, text, account=ORG)) == set(), text


def test_personal_post_on_organisational_account_gets_an_account_finding(policy: Policy) -> None:
    # BL-B: know which account you use.
    text = "Heerlijk weekend gehad met de kinderen en de hond op het strand!"
    org = run(policy, text, account=ORG)
    personal = run(policy, text, account=PERSONAL)
    assert org["domain"]["label"] == "person"
    assert "account" in serious_topics(org)
    assert serious_topics(personal) == set()


def test_official_announcement_on_personal_account(policy: Policy) -> None:
    # R-NL-09: work of the organisation belongs on the organisational account.
    text = "Het ministerie maakt bekend: vanaf 1 januari kunt u de nieuwe subsidie aanvragen."
    personal = run(policy, text, account=PERSONAL)
    assert personal["domain"]["label"] == "organisation"
    assert "private-public" in serious_topics(personal)
    assert "private-public" not in serious_topics(run(policy, text, account=ORG))


def test_mandate_only_when_not_spokesperson_and_on_personal_account(policy: Policy) -> None:
    # R-NL-06
    text = "Het kabinet gaat de dijken versterken, zeggen wij als ministerie."
    assert "mandate" in serious_topics(run(policy, text, account=PERSONAL))
    spokes = run(policy, text, account=PERSONAL, author={"spokesperson": True})
    assert "mandate" not in serious_topics(spokes)
    assert "mandate" not in serious_topics(run(policy, text, account=ORG))


def test_safety_information_on_a_closed_platform(policy: Policy) -> None:
    # R-NL-12: never only on one closed platform.
    text = "Code rood: zeer zware windstoten. Blijf binnen."
    on_x = run(policy, text, account={"kind": "organisational", "channel": "x"})
    assert "channel" in serious_topics(on_x)
    advice = {c["channel"]: c for c in on_x["channels"]}
    assert advice["website"]["fit"] == "good"
    assert advice["mastodon"]["fit"] == "good"
    assert advice["x"]["fit"] == "poor"
    on_mastodon = run(policy, text, account={"kind": "organisational", "channel": "mastodon"})
    assert "channel" not in serious_topics(on_mastodon)


def test_channel_advice_is_in_the_drafts_language(policy: Policy) -> None:
    nl = run(policy, "Vandaag met mijn dochter naar het strand.")
    en = run(policy, "Went to the beach with my daughter today.")
    assert nl["language"] == "nl" and en["language"] == "en"
    assert "Persoonlijk" in nl["channels"][0]["reason"]
    assert "Personal" in en["channels"][0]["reason"]


def test_long_text_gets_thread_advice(policy: Policy) -> None:
    text = "Vandaag werkte ik aan het rapport. " * 20
    advice = {c["channel"]: c for c in run(policy, text)["channels"]}
    assert advice["bluesky"]["fit"] != "good" and "draad" in advice["bluesky"]["reason"]
    assert "draad" not in advice["linkedin"]["reason"]


def test_sensitive_period_from_the_organisation_calendar(tmp_path: Path) -> None:
    # R-NL-14: stricter within an election campaign set by the organisation.
    (tmp_path / "pack.yaml").write_text(
        "extends: default\n"
        "calendar:\n"
        "  - {name: Tweede Kamerverkiezing, start: 2026-10-01, end: 2026-10-29}\n",
        encoding="utf-8",
    )
    org_policy = load_policy(tmp_path)
    text = "Interessant debat met Jetten vanavond."
    inside = run(org_policy, text, date="2026-10-20")
    outside = run(org_policy, text, date="2026-11-20")
    assert "sensitive-period" in serious_topics(inside)
    assert any("Tweede Kamerverkiezing" in f["message"] for f in inside["findings"])
    assert "sensitive-period" not in {f["topic"] for f in outside["findings"]}


def test_ordinary_posts_get_no_warnings(policy: Policy) -> None:
    ordinary = [
        ("Vandaag met de kinderen naar de dierentuin. Wat een mooie dag!", PERSONAL),
        ("Eindelijk mijn eerste marathon gelopen. Trots!", PERSONAL),
        ("Mooie dag op het congres over waterbeheer, veel geleerd.", PERSONAL),
        ("De brug over de Lek is dit weekend dicht door werkzaamheden. Volg de omleiding.", ORG),
        ("Lovely walk with the dog this weekend, autumn colours everywhere.", PERSONAL),
        ("Our new report on flood defences is out: https://example.gov.uk/report", ORG),
    ]
    for text, account in ordinary:
        assert serious_topics(run(policy, text, account=account)) == set(), text


def test_own_field_reaches_into_dutch_compounds(policy: Policy) -> None:
    # R-NL-02: "stikstofbeleid" is within the dossier "stikstof"; Dutch writes compounds as one.
    text = "Volgens mij is het nieuwe stikstofbeleid een ramp en snapt niemand er iets van."
    inside = run(policy, text, account=PERSONAL, author={"dossiers": ["stikstof"]})
    outside = run(policy, text, account=PERSONAL, author={"dossiers": ["dijkversterking"]})
    assert "own-field" in serious_topics(inside)
    assert "own-field" not in serious_topics(outside)
