# ruff: noqa: E501  (tables of test cases read best one case per line)
"""Table-driven tests for the indirect ways people slip, found with the fresh corpus: leaks
without the word "vertrouwelijk", condescension, pillorying, policy stated as a fact, a resident
named with age or street, a colleague's sick leave, official business moved off the record,
mobile numbers and case numbers, very long sentences. Each row cites the catalogue rule.

``None`` as the expected topic means no warning or error at all (suggestions do not count);
the clean rows are the near misses each phrase family must leave alone.
"""

from __future__ import annotations

from typing import Any

import pytest

from civicpost.policy import Policy
from tests.policy.conftest import run, serious_topics

PERSONAL = {"account": {"kind": "personal", "channel": "mastodon"}}
ORG = {"account": {"kind": "organisational", "channel": "mastodon"}}


def own(*dossiers: str) -> dict[str, Any]:
    return {**PERSONAL, "author": {"dossiers": list(dossiers), "spokesperson": False}}


# fmt: off
ROWS: list[tuple[str, str, dict[str, Any], str | None]] = [
    # R-NL-07 tone: contempt without an insult
    ("R-NL-07 eye-roll at callers", "Aan de mensen die elke week bellen: lees eerst gewoon de afvalkalender 🙄", ORG, "tone"),
    ("R-NL-07 insinuation about a colleague", "Onze teamleider zit alweer thuis. Drie keer dit jaar, raad maar waarom.", PERSONAL, "tone"),
    ("R-NL-07 stereotype", "Typisch: Poolse jongens op de bouwplaats die geen woord Nederlands spreken.", PERSONAL, "tone"),
    ("R-NL-07 clean: an eye-roll at the weather", "Maandag en het regent alweer 🙄 Gelukkig koffie.", PERSONAL, None),
    ("R-NL-07 clean: Polish colleagues welcomed", "Welkom aan onze nieuwe Poolse collega's op de bouwplaats!", PERSONAL, None),
    # R-NL-03 confidentiality: hints at what is not public yet
    ("R-NL-03 heard it here first", "De minister schrapt die bezuiniging. Dat hoor je hier als eerste.", PERSONAL, "confidentiality"),
    ("R-NL-03 can't say yet", "Kan er nog niks over zeggen, maar bewoners: houd maandag de brievenbus in de gaten.", PERSONAL, "confidentiality"),
    ("R-NL-03 keep it quiet", "In het MT besloten: de vestiging gaat dicht. Collega's horen het vrijdag, dus nog even stil houden.", PERSONAL, "confidentiality"),
    ("R-NL-03 sneak peek", "Sneak peek of the new flood map before it goes to the council next month.", PERSONAL, "confidentiality"),
    ("R-NL-03 internal planning", "DM me and I'll send you the internal planning.", PERSONAL, "confidentiality"),
    ("R-NL-03 clean: published report", "Vandaag verscheen het jaarrapport over de waterkwaliteit. Lees het op onze site.", PERSONAL, None),
    # GCCO-4 engagement: condescending replies on the organisation's account
    ("GCCO-4 look it up yourself", "@henk Uw vraag is al honderd keer beantwoord. Zoek het zelf maar op.", ORG, "engagement"),
    ("GCCO-4 read it first", "Aan de bellers: lees eerst gewoon de afvalkalender, dan hoeven we dit niet steeds uit te leggen.", ORG, "engagement"),
    ("GCCO-4 clean: pointing the way", "@henk Het antwoord staat op onze site bij Afval; lukt het niet, bel dan 14 0555.", ORG, None),
    # R-NL-07 due process: pillory and retribution before any verdict
    ("R-NL-07 who knows this man", "Wie kent deze man? Hij betaalde aan de balie met een vals briefje.", PERSONAL, "due-process"),
    ("R-NL-07 he will feel it", "Die huisjesmelker is eindelijk aangepakt. Nu gaat hij voelen wat hij zijn huurders heeft aangedaan.", PERSONAL, "due-process"),
    ("R-NL-07 scammers uncovered", "This month we uncovered a benefit fraud ring. Twelve scammers who thought they could rob the taxpayer.", PERSONAL, "due-process"),
    ("R-NL-07 clean: neutral arrest", "Een man is aangehouden als verdachte van brandstichting. Het onderzoek loopt.", ORG, None),
    # R-NL-04 policy phase: a measure stated as a settled fact
    ("R-NL-04 tax disappears", "De hondenbelasting verdwijnt. Eindelijk!", ORG, "policy-phase"),
    ("R-NL-04 tariff goes down", "Goed nieuws: het parkeertarief in het centrum gaat omlaag naar 1,50 per uur!", ORG, "policy-phase"),
    ("R-NL-04 free travel", "Scholieren in Molendaal krijgen gratis OV naar school.", ORG, "policy-phase"),
    ("R-NL-04 from next year must", "From next year, every new home in Noordmarken must have a green roof.", ORG, "policy-phase"),
    ("R-NL-04 clean: phase named", "Het college stelt voor de hondenbelasting af te schaffen; de raad beslist in maart.", ORG, None),
    # R-NL-03 personal data: people recognisable without a number
    ("R-NL-03 resident with age and street", "Mooi moment: mevrouw Bakker (87) uit de Kerkstraat kreeg eindelijk haar traplift.", PERSONAL, "personal-data"),
    ("R-NL-03 resident by house number", "Mrs. Jansen from number 14 on the Lindelaan came in again about her benefit.", PERSONAL, "personal-data"),
    ("R-NL-03 colleague's sick leave", "Onze teamleider Karin zit alweer ziek thuis. Drie keer dit jaar.", PERSONAL, "personal-data"),
    ("R-NL-03 case number with a prefix", "Dossier WMO-2025-3381 kan eindelijk dicht!", PERSONAL, "personal-data"),
    ("R-NL-03 mobile of a named official", "Interesse in de kavel? Bel de behandelaar, Joyce Vermeer, op 06-28461937.", ORG, "personal-data"),
    ("R-NL-03 resident's number called back", "We've passed your complaint on; the inspector will call you tomorrow on 06-41870325.", ORG, "personal-data"),
    ("R-NL-03 clean: author's own sick day", "Vandaag ziek thuis, dus geen fietstocht. Morgen beter!", PERSONAL, None),
    ("R-NL-03 clean: street without a person", "De Kerkstraat is vanaf maandag twee weken dicht voor nieuwe riolering.", ORG, None),
    # R-NL-09 official business moved to private routes
    ("R-NL-09 off the official route", "Vragen over je WOZ-waarde? App me gewoon even privé, dan regel ik het buiten de officiële weg om.", PERSONAL, "private-public"),
    ("R-NL-09 fines withdrawn on a personal account", "Excuses voor de storing in de parkeerautomaten. De boetes van afgelopen week trekken we in.", PERSONAL, "private-public"),
    # R-NL-12 channel: safety information must be readable without a platform account
    ("R-NL-12 links only to Instagram", "Kookadvies in Vechtdorp: kook het water tot nader bericht. Updates op instagram.com/lagelanden_water", ORG, "channel"),
    ("R-NL-12 clean: on X with the open page", "Code oranje: zware windstoten morgen. Actuele informatie: https://www.noordmarken.example/storm", {"account": {"kind": "organisational", "channel": "x"}}, None),
    ("R-NL-12 on X without an open page", "Code oranje: zware windstoten morgen. Zet tuinmeubels vast.", {"account": {"kind": "organisational", "channel": "x"}}, "channel"),
    # BL-A channel length: Mastodon and X count a web address as 23 characters
    ("BL-A long address fits on Mastodon", "De dijk bij Katwijk wordt versterkt. " * 12 + "Lees meer: https://www.dijkenduinen.example/nieuws/2026/dijkversterking-katwijk-start-in-maart-met-omleidingen", ORG, None),
    ("BL-A too long even so", "De dijk bij Katwijk wordt versterkt. " * 14 + "Lees meer: https://www.dijkenduinen.example/nieuws", ORG, "channel"),
    ("BL-A long address fits on Bluesky, written shortened", "De dijk bij Katwijk wordt versterkt. " * 6 + "Lees meer: https://www.dijkenduinen.example/nieuws/2026/dijkversterking-katwijk-start-in-maart", {"account": {"kind": "organisational", "channel": "bluesky"}}, None),
    # GCCO-3 private-public: a personal view presented as policy
    ("GCCO-3 opinion as policy", "Mijn persoonlijke mening, maar het is ook gewoon ons beleid: elke nieuwe wijk krijgt een warmtenet.", PERSONAL, "private-public"),
    ("GCCO-3 clean: policy with its source", "Ons beleid voor warmtenetten staat in de Transitievisie Warmte van 2021: https://www.noordmarken.example/warmte", PERSONAL, None),
    ("R-NL-06 the municipality's position", "@ruud The municipality's position is clear: no new short-stay rental permits.", PERSONAL, "mandate"),
    # A-07 plain language: a sentence far too long to read in one go
    ("A-07 very long sentence", "Naar aanleiding van de vele vragen die wij de afgelopen weken van inwoners hebben ontvangen over de herinrichting van de Stationsstraat willen wij u graag informeren dat de werkzaamheden die oorspronkelijk in het voorjaar gepland waren in verband met de levering van materialen pas na de zomervakantie van start kunnen gaan.", ORG, "plain-language"),
    ("A-08 officialese", "Pursuant to the aforementioned consultation, stakeholders are hereby notified that the revised framework shall be effectuated in Q3.", ORG, "plain-language"),
    # R-NL-02 own field: colloquial criticism within one's dossier
    ("R-NL-02 pure fantasy", "The housing targets I work on every day are pure fantasy.", own("housing targets"), "own-field"),
    ("R-NL-02 paper tiger", "The distribution law is a paper tiger and we all pretend otherwise.", own("distribution law"), "own-field"),
    ("R-NL-02 dossier in the singular", "Over its lifetime a heat pump is a waste of money. Do the maths.", own("heat pumps"), "own-field"),
    ("R-NL-02 subject of a policy compound", "Die nieuwe huurgrens raakt precies de mensen die we zeggen te helpen. Ik snap er niks meer van.", own("huurbeleid"), "own-field"),
    ("R-NL-02 clean: same words outside the dossier", "Die nieuwe huurgrens raakt precies de mensen die we zeggen te helpen. Ik snap er niks meer van.", own("waterkwaliteit"), None),
    # R-NL-01 party politics, indirectly
    ("R-NL-01 the voting booth", "Dit kabinet heeft het lerarentekort opgegeven. Denk daar aan in het stemhokje.", PERSONAL, "party-politics"),
    ("R-NL-01 clean: polling station reminder", "Woensdag zijn de verkiezingen. Stembureaus zijn open van 7.30 tot 21.00 uur.", ORG, None),
]
# fmt: on


@pytest.mark.parametrize(("case", "text", "context", "topic"), ROWS, ids=[row[0] for row in ROWS])
def test_indirect_phrasing(
    policy: Policy, case: str, text: str, context: dict[str, Any], topic: str | None
) -> None:
    found = serious_topics(run(policy, text, **context))
    if topic is None:
        assert found == set(), f"{case}: expected no warning, got {found}"
    else:
        assert topic in found, f"{case}: expected {topic}, got {found}"
