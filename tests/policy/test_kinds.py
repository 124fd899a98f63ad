# ruff: noqa: E501  (tables of test cases read best one case per line)
"""Table-driven tests per rule kind: text and context in, rule ids and spans out."""

from __future__ import annotations

from typing import Any

import pytest

from civicpost.policy import Policy
from tests.policy.conftest import hits, run

PERSONAL = {"account": {"kind": "personal"}}
ORGANISATIONAL = {"account": {"kind": "organisational", "channel": "mastodon"}}

# fmt: off
EXISTENCE_ROWS = [
    # (test id, text, context, rule, underlined text)
    ("R-NL-01 vote call nl", "Stem op de VVD morgen!", PERSONAL, "GCCO.VoteCall", "Stem op de VVD"),
    ("R-NL-01 vote call en", "Vote for Labour Party on Thursday", PERSONAL, "GCCO.VoteCall", "Vote for Labour Party"),
    ("R-NL-01 praise", "Wat een geweldig plan van D66 vandaag", PERSONAL, "GCCO.PartyPolitics", "geweldig plan van D66"),
    ("R-NL-01 attack", "Die leugenaars van de PVV weer", PERSONAL, "GCCO.PartyPolitics", "leugenaars van de PVV"),
    ("R-NL-07 insult nl", "Wat een idioten zijn het.", PERSONAL, "GCCO.Insults", "idioten"),
    ("R-NL-07 insult en", "These morons never learn", PERSONAL, "GCCO.Insults", "morons"),
    ("R-NL-07 contempt", "Zakkenvullers allemaal", PERSONAL, "GCCO.Insults", "Zakkenvullers"),
    ("R-NL-08 conspiracy nl", "Het was gewoon een plandemie", PERSONAL, "GCCO.Conspiracy", "plandemie"),
    ("R-NL-08 conspiracy en", "Wake up sheeple, it is the great reset", PERSONAL, "GCCO.Conspiracy", "Wake up sheeple"),
    ("R-NL-03 marker nl", "Dit stuk is Dep.V, niet verspreiden", PERSONAL, "GCCO.Confidentiality", "Dep.V"),
    ("R-NL-03 marker en", "Draft letter attached, internal only", PERSONAL, "GCCO.Confidentiality", "internal only"),
    ("R-NL-03 embargo", "Onder embargo tot dinsdag: de cijfers", PERSONAL, "GCCO.Confidentiality", "Onder embargo"),
    ("R-NL-06 mandate nl", "Wij als ministerie vinden dit belangrijk", PERSONAL, "GCCO.Mandate", "Wij als ministerie"),
    ("R-NL-06 mandate en", "On behalf of the Ministry I can say yes", PERSONAL, "GCCO.Mandate", "On behalf of the Ministry"),
    ("R-NL-13 press question", "Een journalist vroeg me net naar het rapport", PERSONAL, "GCCO.PressQuestion", "Een journalist vroeg"),
    ("R-NL-07 due process", "De verdachte is aangehouden; die crimineel moet vast", PERSONAL, "GCCO.DueProcess", "aangehouden; die crimineel"),
    ("R-NL-04 policy phase nl", "Het kabinet gaat een suikertaks invoeren.", PERSONAL, "PolicyPhase.Missing", "gaat een suikertaks invoeren"),
    ("R-NL-04 policy phase en", "There is a new rule for scooters.", PERSONAL, "PolicyPhase.Missing", "new rule"),
    ("A-05 fancy text", "Kijk: 𝐍𝐢𝐞𝐮𝐰𝐬 vandaag", PERSONAL, "Accessibility.FancyText", "𝐍𝐢𝐞𝐮𝐰𝐬"),
    ("A-06 vague link", "Klik hier voor het rapport: https://example.nl/r", PERSONAL, "Accessibility.VagueLinkText", "Klik hier"),
    ("R-NL-01 party on org account", "De Kamer sprak met de VVD over dijken.", ORGANISATIONAL, "GCCO.PartyMention", "VVD"),
]

NOT_FOUND_ROWS = [
    # (test id, text, context, rule that must stay silent)
    ("R-NL-01 polling reminder nl", "Het stembureau is open tot 21:00, neem je ID mee.", ORGANISATIONAL, "GCCO.VoteCall"),
    ("R-NL-01 polling reminder en", "Polling stations are open until 9pm, go and vote!", ORGANISATIONAL, "GCCO.VoteCall"),
    ("R-NL-01 vote call needs a party", "Stem op wie je wilt, maar ga stemmen", PERSONAL, "GCCO.VoteCall"),
    ("R-NL-01 neutral party mention", "Vandaag debatteert de Kamer met de VVD over water.", PERSONAL, "GCCO.PartyPolitics"),
    ("R-NL-03 trade embargo", "De EU stelt een embargo op Russische olie in.", PERSONAL, "GCCO.Confidentiality"),
    ("R-NL-03 treated confidentially", "Uw melding wordt vertrouwelijk behandeld.", ORGANISATIONAL, "GCCO.Confidentiality"),
    ("R-NL-04 phase given", "Het kabinet gaat een suikertaks invoeren, staat in het wetsvoorstel.", PERSONAL, "PolicyPhase.Missing"),
    ("R-NL-04 new line", "Begin op een nieuwe regel.", PERSONAL, "PolicyPhase.Missing"),
    ("R-NL-07 convicted", "De dader is gisteren veroordeeld; de verdachte was in 2023 aangehouden.", PERSONAL, "GCCO.DueProcess"),
    ("R-NL-06 spokesperson may", "Namens de minister: dank aan alle vrijwilligers.", {"author": {"spokesperson": True}}, "GCCO.Mandate"),
    ("R-NL-07 speeltuig is no insult", "Nieuw speeltuig in het park!", PERSONAL, "GCCO.Insults"),
]

SUBSTITUTION_ROWS = [
    ("A-08 betreffende", "Een brief betreffende uw aanvraag.", "betreffende", "over"),
    ("A-08 creëren", "We willen banen creëren voor jongeren in de regio.", "creëren", "maken"),
    ("A-08 prioriteit", "Veiligheid heeft prioriteit voor ons team.", "prioriteit", "voorrang"),
    ("A-08 verstrekken", "Wij verstrekken de gegevens niet aan derden.", "verstrekken", "geven"),
    ("A-08 plain English", "We will utilise the funds in order to help.", "utilise", "use"),
    ("A-03 CamelCase", "Mooie dag #klimaatakkoord", "#klimaatakkoord", "#KlimaatAkkoord"),
]

OCCURRENCE_ROWS: list[tuple[str, str, dict[str, Any], str, str]] = [
    ("A-03 three hashtags", "Dag #een #twee #drie", PERSONAL, "Accessibility.HashtagCount", "#drie"),
    ("A-04 four emoji", "Feest 🎉🎉🎉🎉", PERSONAL, "Accessibility.EmojiCount", "🎉"),
    ("A-06 two links", "Zie https://a.nl en https://b.nl", PERSONAL, "Accessibility.LinkCount", "https://b.nl"),
    ("A-07 long sentence", " ".join(["woord"] * 30) + ".", PERSONAL, "PlainLanguage.LongSentence", " ".join(["woord"] * 30) + "."),
    ("BL-A over x limit", "a" * 300, {"account": {"kind": "personal", "channel": "x"}}, "Burgerlink.ChannelLength", "a" * 20),
]
# fmt: on


@pytest.mark.parametrize(
    "text, context, rule, span", [r[1:] for r in EXISTENCE_ROWS], ids=[r[0] for r in EXISTENCE_ROWS]
)
def test_existence_finds_the_phrase(
    policy: Policy, text: str, context: dict[str, Any], rule: str, span: str
) -> None:
    result = run(policy, text, **context)
    assert (rule, span) in hits(result, text)


@pytest.mark.parametrize(
    "text, context, rule", [r[1:] for r in NOT_FOUND_ROWS], ids=[r[0] for r in NOT_FOUND_ROWS]
)
def test_rule_stays_silent(policy: Policy, text: str, context: dict[str, Any], rule: str) -> None:
    result = run(policy, text, **context)
    assert rule not in {f["rule"] for f in result["findings"]}


@pytest.mark.parametrize(
    "text, span, replacement",
    [r[1:] for r in SUBSTITUTION_ROWS],
    ids=[r[0] for r in SUBSTITUTION_ROWS],
)
def test_substitution_suggests_the_plain_word(
    policy: Policy, text: str, span: str, replacement: str
) -> None:
    result = run(policy, text)
    matching = [f for f in result["findings"] if text[f["start"] : f["end"]] == span]
    assert matching, hits(result, text)
    assert replacement in matching[0]["message"]
    assert matching[0]["topic"] in ("plain-language", "accessibility")


@pytest.mark.parametrize(
    "text, context, rule, span_start",
    [r[1:] for r in OCCURRENCE_ROWS],
    ids=[r[0] for r in OCCURRENCE_ROWS],
)
def test_occurrence_flags_what_is_over_the_limit(
    policy: Policy, text: str, context: dict[str, Any], rule: str, span_start: str
) -> None:
    result = run(policy, text, **context)
    found = [f for f in result["findings"] if f["rule"] == rule]
    assert len(found) == 1
    assert text[found[0]["start"] : found[0]["end"]].startswith(span_start)


def test_two_hashtags_and_three_emoji_are_fine(policy: Policy) -> None:
    result = run(policy, "Fijne dag 🎉🌞🚲 #Fiets #Stad")
    assert not result["findings"]


def test_channel_limit_counts_graphemes_not_code_points(policy: Policy) -> None:
    # 280 family emoji are 280 graphemes but 1,960 code points: fits on X.
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"
    text = family * 280
    result = run(policy, text, account={"kind": "personal", "channel": "x"})
    assert "Burgerlink.ChannelLength" not in {f["rule"] for f in result["findings"]}
    result = run(policy, text + "!", account={"kind": "personal", "channel": "x"})
    found = [f for f in result["findings"] if f["rule"] == "Burgerlink.ChannelLength"]
    assert found and found[0]["start"] == len(text)


# fmt: off
PERSONAL_DATA_ROWS = [
    # (test id, text, rule or None, underlined text)
    ("R-NL-03 valid BSN", "Zijn BSN is 111222333.", "PersonalData.BSN", "111222333"),
    ("R-NL-03 BSN with dots", "BSN 1112.22.333 graag", "PersonalData.BSN", "1112.22.333"),
    ("R-NL-03 invalid BSN", "Referentie 123456789 is geen BSN", None, ""),
    ("R-NL-03 IBAN", "Maak over naar NL91 ABNA 0417 1643 00 aub", "PersonalData.IBAN", "NL91 ABNA 0417 1643 00"),
    ("R-NL-03 bad IBAN", "NL91 ABNA 0417 1643 01", None, ""),
    ("R-NL-03 mobile", "App me op 06-12345678", "PersonalData.Phone", "06-12345678"),
    ("R-NL-03 UK mobile", "Call +44 7911 123456 now", "PersonalData.Phone", "+44 7911 123456"),
    ("R-NL-03 e-mail", "Mail jan.jansen@example.nl", "PersonalData.Email", "jan.jansen@example.nl"),
    ("R-NL-03 role mailbox", "Mail info@gemeente.nl voor vragen", None, ""),
    ("R-NL-03 toll free", "Bel gratis 0800-1234567", None, ""),
    ("R-NL-03 case number", "Over zaaknummer Z-2024-12345 nog dit", "PersonalData.CaseNumber", "zaaknummer Z-2024-12345"),
    ("R-NL-03 home address", "Hij woont op Lindelaan 12, 1234 AB Utrecht", "PersonalData.Address", "Lindelaan 12, 1234 AB Utrecht"),
]
# fmt: on


@pytest.mark.parametrize(
    "text, rule, span", [r[1:] for r in PERSONAL_DATA_ROWS], ids=[r[0] for r in PERSONAL_DATA_ROWS]
)
def test_recognizer_finds_only_valid_personal_data(
    policy: Policy, text: str, rule: str | None, span: str
) -> None:
    result = run(policy, text)
    personal = [h for h in hits(result, text) if h[0].startswith("PersonalData.")]
    if rule is None:
        assert personal == []
    else:
        assert (rule, span) in personal


def test_address_without_personal_context_is_only_a_suggestion(policy: Policy) -> None:
    text = "Informatieavond in het gemeentehuis, Stationsweg 1, 1234 AB Ede"
    result = run(policy, text, account={"kind": "organisational"})
    levels = {f["level"] for f in result["findings"] if f["rule"] == "PersonalData.Address"}
    assert levels == {"suggestion"}
