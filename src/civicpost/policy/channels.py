"""Channel limits as data, and channel advice per draft (BL-A, R-NL-12)."""

from __future__ import annotations

from collections.abc import Sequence

from civicpost import channels as registry
from civicpost.channels import ChannelSpec
from civicpost.policy.model import Facts

# The channel registry is shared with the rest of civicpost (pure Python, no framework), so the
# limits the checker applies are the ones publishing declares.
ChannelLimits = ChannelSpec
CHANNELS: dict[str, ChannelLimits] = {spec.id: spec for spec in registry.all_channels()}
CLOSED_CHANNELS = frozenset({"x", "facebook", "instagram", "linkedin", "tiktok", "threads"})
# Web addresses of closed platforms: a link there is not an open web page (R-NL-12).
CLOSED_HOSTS = frozenset(
    {
        "instagram.com",
        "facebook.com",
        "fb.com",
        "fb.me",
        "x.com",
        "twitter.com",
        "t.co",
        "tiktok.com",
        "linkedin.com",
        "lnkd.in",
        "whatsapp.com",
        "wa.me",
        "t.me",
        "threads.net",
        "snapchat.com",
    }
)


def link_host(link: str) -> str:
    """The host of a written address, without scheme, "www." or port: "instagram.com"."""
    host = link.split("://", 1)[-1].split("/", 1)[0].split("?", 1)[0].split(":", 1)[0]
    return host.lower().removeprefix("www.").removeprefix("m.")


def is_closed_platform(link: str) -> bool:
    host = link_host(link)
    return any(host == closed or host.endswith("." + closed) for closed in CLOSED_HOSTS)


_REASONS: dict[str, dict[str, str]] = {
    "urgent-open": {
        "nl": "Veiligheidsinformatie hoort op een open webpagina en het Mastodon-account van de "
        "organisatie, niet alleen op een gesloten platform.",
        "en": "Safety information belongs on an open web page and the organisation's Mastodon "
        "account, never only on a closed platform.",
    },
    "urgent-closed": {
        "nl": "Gesloten platform: alleen als aanvulling op de website en Mastodon.",
        "en": "Closed platform: only in addition to the website and Mastodon.",
    },
    "formal-first": {
        "nl": "Een formele aankondiging verschijnt eerst op de website of in een persbericht.",
        "en": "A formal announcement goes on the website or in a press release first.",
    },
    "formal-after": {
        "nl": "Geschikt om de aankondiging daarna te delen, met een link naar de website.",
        "en": "Fine for sharing the announcement afterwards, linking to the website.",
    },
    "press-personal": {
        "nl": "Een persbericht is voor de organisatie, niet voor persoonlijke berichten.",
        "en": "A press release is for the organisation, not for personal posts.",
    },
    "professional": {
        "nl": "Vakinhoud bereikt op LinkedIn een professioneel publiek.",
        "en": "Work content reaches a professional audience on LinkedIn.",
    },
    "personal": {
        "nl": "Persoonlijk bericht: een microblog past; let op de gevolgen.",
        "en": "Personal post: a microblog fits; mind the consequences.",
    },
    "fits": {
        "nl": "Past binnen de limiet van {limit} tekens.",
        "en": "Fits within the {limit}-character limit.",
    },
    "thread": {
        "nl": "Langer dan {limit} tekens: splits in een draad.",
        "en": "Longer than {limit} characters: split it into a thread.",
    },
    "too-long": {
        "nl": "Langer dan {limit} tekens en draden zijn er niet: inkorten.",
        "en": "Longer than {limit} characters and no threads there: shorten it.",
    },
    "not-for-short": {
        "nl": "Voor een kort bericht is een eigen pagina of persbericht niet nodig.",
        "en": "A short post does not need its own page or press release.",
    },
    "rss-org": {
        "nl": "Het RSS-kanaal volgt de berichten op de website van de organisatie.",
        "en": "The RSS feed follows the organisation's website posts.",
    },
}


def _reason(key: str, language: str, limit: int | None = None) -> str:
    return _REASONS[key][language].format(limit=limit)


# Advice depends on a few facts and on which channel limits the length exceeds, so drafts
# share a small number of distinct answers; each is built once and copied out.
_ADVICE: dict[tuple[object, ...], list[dict[str, str]]] = {}
_ADVICE_KEPT = 4096


def counted_length(spec: ChannelLimits, graphemes: int, web_links: Sequence[str] = ()) -> int:
    """The length as the channel counts it: on Mastodon and X every web address counts as 23
    characters however long it is; Bluesky writes it shortened (``web_links``: the addresses)."""
    if not web_links:
        return graphemes
    if spec.link_graphemes is not None:
        return graphemes - sum(map(len, web_links)) + spec.link_graphemes * len(web_links)
    if spec.shortens_links:
        return graphemes - sum(len(url) - len(registry.short_link(url)) for url in web_links)
    return graphemes


def advise(facts: Facts, graphemes: int, web_links: Sequence[str] = ()) -> list[dict[str, str]]:
    """Fit and reason for every channel, in the draft's language."""
    exceeded = tuple(
        [
            spec.max_graphemes is not None
            and counted_length(spec, graphemes, web_links) > spec.max_graphemes
            for spec in CHANNELS.values()
        ]
    )
    key = (
        facts.language,
        facts.domain,
        facts.account_kind,
        facts.urgent,
        facts.formal_announcement,
        exceeded,
        tuple(CHANNELS),
    )
    advice = _ADVICE.get(key)
    if advice is None:
        advice = _advise(facts, exceeded)
        if len(_ADVICE) < _ADVICE_KEPT:
            _ADVICE[key] = advice
    return [dict(item) for item in advice]


def _advise(facts: Facts, exceeded: tuple[bool, ...]) -> list[dict[str, str]]:
    lang = facts.language
    personal = facts.domain == "person"
    organisational = facts.domain == "organisation" or facts.account_kind == "organisational"
    advice: list[dict[str, str]] = []
    for (channel_id, spec), too_long in zip(CHANNELS.items(), exceeded, strict=True):
        fit, reason = "possible", ""
        if facts.urgent:
            if spec.open_web:
                fit, reason = "good", _reason("urgent-open", lang)
            else:
                fit, reason = "poor", _reason("urgent-closed", lang)
            if channel_id == "rss":
                fit = "possible"
        elif facts.formal_announcement:
            if channel_id in ("website", "press-release"):
                fit, reason = "good", _reason("formal-first", lang)
            elif channel_id == "rss":
                fit, reason = "good", _reason("rss-org", lang)
            else:
                fit, reason = "possible", _reason("formal-after", lang)
        elif spec.social:
            if channel_id == "linkedin":
                if facts.domain in ("function", "department"):
                    fit, reason = "good", _reason("professional", lang)
                else:
                    fit, reason = "possible", _reason("fits", lang, spec.max_graphemes)
            elif personal:
                fit, reason = "good", _reason("personal", lang)
            else:
                fit, reason = "good", _reason("fits", lang, spec.max_graphemes)
        elif channel_id == "press-release":
            fit = "poor"
            reason = _reason("press-personal" if personal else "not-for-short", lang)
        elif channel_id == "rss":
            fit = "possible" if organisational else "poor"
            reason = _reason("rss-org", lang)
        else:
            fit = "possible" if not personal else "poor"
            reason = _reason("not-for-short", lang)
        limit = spec.max_graphemes
        if too_long:
            if spec.threads:
                fit = "possible" if fit == "good" else fit
                reason = f"{reason} {_reason('thread', lang, limit)}".strip()
            else:
                fit, reason = "poor", _reason("too-long", lang, limit)
        advice.append({"channel": channel_id, "fit": fit, "reason": reason})
    return advice
