# ruff: noqa: E501  (tables of test cases read best one case per line)
"""Table-driven tests for the broadened rule vocabularies: text and context in, topic out.

Each row cites the rule of the catalogue it implements. ``None`` as the expected topic means
the draft must raise no warning or error at all (suggestions do not count).
"""

from __future__ import annotations

from typing import Any

import pytest

from civicpost.policy import Policy
from tests.policy.conftest import run, serious_topics

PERSONAL = {"account": {"kind": "personal", "channel": "mastodon"}}
ORG = {"account": {"kind": "organisational", "channel": "mastodon"}}
SPOKES = {
    "account": {"kind": "organisational", "channel": "mastodon"},
    "author": {"spokesperson": True},
}


def own(*dossiers: str) -> dict[str, Any]:
    return {**PERSONAL, "author": {"dossiers": list(dossiers), "spokesperson": False}}


# fmt: off
ROWS: list[tuple[str, str, dict[str, Any], str | None]] = [
    # R-NL-07 tone: insults, contempt and dehumanising group labels
    ("R-NL-07 gelukzoekers", "Die gelukzoekers komen hier alleen voor de uitkering.", PERSONAL, "tone"),
    ("R-NL-07 tuig", "Tuig is het, die jongens bij het station.", PERSONAL, "tone"),
    ("R-NL-07 parasieten", "Het zijn parasieten, allemaal.", PERSONAL, "tone"),
    ("R-NL-07 scum", "People who do that are scum.", PERSONAL, "tone"),
    ("R-NL-07 vermin", "Those squatters are vermin.", PERSONAL, "tone"),
    ("R-NL-07 stelletje", "Wat een stelletje prutsers bij die aannemer.", PERSONAL, "tone"),
    ("R-NL-07 bunch of", "The council is a bunch of clueless clowns.", PERSONAL, "tone"),
    ("R-NL-07 te dom om", "Ze zijn te dom om een formulier in te vullen.", ORG, "tone"),
    # R-NL-08 accuracy: unsourced absolute claims, misinformation and conspiracy markers
    ("R-NL-08 hoax", "Die hittegolf is een hoax van de klimaatlobby.", PERSONAL, "accuracy"),
    ("R-NL-08 iedereen weet dat", "Iedereen weet dat de cijfers niet kloppen.", PERSONAL, "accuracy"),
    ("R-NL-08 bewezen dat", "Het is bewezen dat zonnepanelen hoofdpijn geven.", PERSONAL, "accuracy"),
    ("R-NL-08 media won't tell", "The media won't tell you what is in the water.", PERSONAL, "accuracy"),
    ("R-NL-08 figure without source", "Meer dan 70 procent van alle uitkeringen is fraude.", PERSONAL, "accuracy"),
    ("R-NL-08 figure with source is fine", "Volgens het CBS groeide de bevolking met 0,5 procent.", PERSONAL, None),
    # R-NL-07 / R-X-03 due process
    ("due-process dader + verdachte", "De verdachte is natuurlijk gewoon de dader.", PERSONAL, "due-process"),
    ("due-process crimineel + aangehouden", "Aangehouden vanochtend: een bekende crimineel uit de wijk.", PERSONAL, "due-process"),
    ("due-process guilty + arrested", "The man arrested yesterday is guilty, no question.", PERSONAL, "due-process"),
    ("due-process we all know", "We all know he did it, whatever the judge says.", PERSONAL, "due-process"),
    ("due-process leaves it to the court", "Een man is aangehouden als verdachte. De rechter beslist of hij schuldig is.", ORG, None),
    ("due-process after conviction", "De dader is gisteren veroordeeld tot vier jaar cel.", ORG, None),
    # R-NL-13 engagement: press questions belong with the press office
    ("R-NL-13 for your article", "Voor je artikel: ik kan je wel vertellen hoe het zit.", PERSONAL, "engagement"),
    ("R-NL-13 quote me", "You can quote me on this: the plan is late.", PERSONAL, "engagement"),
    ("R-NL-13 routed to press office", "Persvragen gaan via onze woordvoering, zij bellen je terug.", PERSONAL, None),
    ("GCCO-4 dismissive", "@inwoner We gaan niet in op dit soort vragen.", ORG, "engagement"),
    # R-NL-01 party politics
    ("R-NL-01 stem op", "Stem op de SP, dan komt het goed.", PERSONAL, "party-politics"),
    ("R-NL-01 weg met", "Weg met de PVV!", PERSONAL, "party-politics"),
    ("R-NL-01 sterk verhaal van", "Sterk verhaal van Jetten vanavond.", PERSONAL, "party-politics"),
    ("R-NL-01 great speech", "Great speech by the CDA leader today.", PERSONAL, "party-politics"),
    ("R-NL-01 party + evaluative on org", "Mooi dat de VVD dit steunt.", ORG, "party-politics"),
    ("R-NL-01 repost of a party", "RT @vvd_zandhoven: kom zaterdag naar de markt!", PERSONAL, "party-politics"),
    ("R-NL-01 neutral agenda", "De Tweede Kamer debatteert donderdag over de begroting.", ORG, None),
    # R-NL-06 mandate
    ("R-NL-06 namens het ministerie", "Namens het ministerie: we nemen dit serieus.", PERSONAL, "mandate"),
    ("R-NL-06 wij als gemeente", "Wij als gemeente laten niemand in de kou staan.", PERSONAL, "mandate"),
    ("R-NL-06 het kabinet gaat", "Het kabinet gaat de regels aanpassen, dat weet ik zeker.", PERSONAL, "mandate"),
    ("R-NL-06 our department will", "Our department will not change the deadline.", PERSONAL, "mandate"),
    ("R-NL-06 on behalf of", "On behalf of the province: our apologies for the delay.", PERSONAL, "mandate"),
    ("R-NL-06 disclaims", "I can't speak for the ministry, but I liked the report.", PERSONAL, None),
    ("R-NL-06 spokesperson on org account", "Namens het ministerie: dank aan alle vrijwilligers.", SPOKES, None),
    # R-NL-02 own field, R-NL-14 in the sensitive period
    ("R-NL-02 criticism in dossier", "Het huurbeleid is een complete mislukking.", own("huurbeleid"), "own-field"),
    ("R-NL-02 criticism outside dossier", "Het huurbeleid is een complete mislukking.", own("archivering"), None),
    # R-NL-04 policy phase
    ("R-NL-04 institution will", "De gemeente gaat het centrum autovrij maken.", ORG, "policy-phase"),
    ("R-NL-04 er komt een verbod", "Er komt een landelijk verbod op lachgas.", ORG, "policy-phase"),
    ("R-NL-04 phase stated", "De gemeenteraad heeft besloten dat het centrum autovrij wordt.", ORG, None),
    # R-NL-09 private-public and archiving
    ("R-NL-09 DM about a permit", "Vragen over je vergunning? Stuur me een DM.", PERSONAL, "private-public"),
    ("R-NL-09 WhatsApp about residents", "Bewoners, jullie vragen beantwoord ik via WhatsApp.", PERSONAL, "archiving"),
    ("R-NL-09 delete later", "De notulen van de inspraakavond staan hier. Ik verwijder dit morgen.", PERSONAL, "archiving"),
    ("R-NL-09 private number", "Questions about your application? Call my private number tonight.", PERSONAL, "private-public"),
    ("R-NL-09 decision taken", "Het besluit over jullie bezwaar is genomen: afgewezen.", PERSONAL, "private-public"),
    ("R-NL-09 private DM is fine", "DM me if you want the recipe for that cake!", PERSONAL, None),
    # R-NL-03 personal data: the organisation's own details are fine
    ("R-NL-03 own IBAN on org account", "Betaal op NL38 ABNA 2823 2960 38 t.n.v. Gemeente Zandhoven.", ORG, None),
    ("R-NL-03 private IBAN", "Maak het over naar NL38 ABNA 2823 2960 38 t.n.v. P. Jansen.", PERSONAL, "personal-data"),
    ("R-NL-03 licence plate", "De auto met kenteken GX-123-B staat weer fout.", PERSONAL, "personal-data"),
    ("R-NL-03 fediverse handle is not an e-mail", "Dank @s.koster@social.example voor het gesprek!", ORG, None),
    ("R-NL-03 role mailbox on org account", "Vragen? Mail naar belastingen@zandhoven.example.", ORG, None),
    # BL-C / BL-B ordinary posts stay clean
    ("clean family", "Zondag met de kinderen naar het bos geweest.", PERSONAL, None),
    ("clean own work", "Vandaag mijn rapport over waterkwaliteit gepresenteerd. Mooie vragen uit de zaal.", PERSONAL, None),
    ("clean service message", "Het gemeentehuis is maandag gesloten. Bel voor spoed 14 0599.", ORG, None),
    ("clean shared page", "Goede uitleg van de provincie over de natuurkaart: https://www.veenland.example/kaart", PERSONAL, None),
]
# fmt: on


@pytest.mark.parametrize("text, context, topic", [r[1:] for r in ROWS], ids=[r[0] for r in ROWS])
def test_topic_or_no_warning(
    policy: Policy, text: str, context: dict[str, Any], topic: str | None
) -> None:
    topics = serious_topics(run(policy, text, **context))
    if topic is None:
        assert topics == set()
    else:
        assert topic in topics


def test_domain_scores_sum_to_one_with_evidence(policy: Policy) -> None:
    result = run(policy, "Wij als gemeente openen vandaag het nieuwe zwembad.", **PERSONAL)
    domain = result["domain"]
    assert domain["label"] == "organisation"
    assert abs(sum(domain["scores"].values()) - 1.0) < 0.011
    assert any("speaks for the organisation" in item for item in domain["evidence"])


def test_first_person_on_organisational_account_is_person_domain(policy: Policy) -> None:
    result = run(policy, "Ik ben vandaag jarig en heb taart meegenomen!", **ORG)
    assert result["domain"]["label"] == "person"
    assert "account" in serious_topics(result)
