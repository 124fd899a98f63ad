"""Validate tests/corpus/drafts.jsonl and print its counts.

Usage (from the repository root):

    uv run python tests/corpus/check_corpus.py            # validate, print counts
    uv run python tests/corpus/check_corpus.py --lint     # also list label-consistency hints
    uv run python tests/corpus/check_corpus.py --markdown # counts as Markdown (README.md)

Exit status 1 when the file breaks the format or the minimum counts.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections import Counter
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "drafts.jsonl"
CALENDAR = HERE / "policy" / "pack.yaml"

TOPICS = [
    "party-politics",
    "tone",
    "accuracy",
    "own-field",
    "confidentiality",
    "personal-data",
    "due-process",
    "mandate",
    "private-public",
    "account",
    "colleagues",
    "channel",
    "engagement",
    "archiving",
    "policy-phase",
    "sensitive-period",
    "accessibility",
    "plain-language",
]
DOMAINS = ["person", "function", "department", "organisation"]
KINDS = {"personal", "organisational"}
CHANNELS = {"mastodon", "bluesky", "x", "linkedin", "rss", "website", "press-release"}
INPUT_KEYS = {"id", "text", "lang", "account", "author", "colleagues", "media", "date"}

MIN_LINES = 340
MIN_PER_TOPIC = 12
MIN_PER_DOMAIN = 30
MIN_CLEAN = 120

NL_WORDS = frozenset(
    [
        "de",
        "het",
        "een",
        "en",
        "van",
        "ik",
        "je",
        "jij",
        "we",
        "wij",
        "is",
        "zijn",
        "niet",
        "op",
        "met",
        "voor",
        "dat",
        "die",
        "dit",
        "er",
        "naar",
        "bij",
        "ook",
        "maar",
        "nog",
        "om",
        "te",
        "uit",
        "over",
        "aan",
        "hun",
        "ons",
        "onze",
        "mijn",
        "wat",
        "wie",
        "als",
        "dan",
        "zo",
    ]
)
EN_WORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "and",
        "of",
        "i",
        "you",
        "we",
        "is",
        "are",
        "not",
        "on",
        "with",
        "for",
        "that",
        "this",
        "there",
        "to",
        "from",
        "at",
        "also",
        "but",
        "still",
        "our",
        "my",
        "what",
        "who",
        "as",
        "then",
        "so",
        "your",
        "be",
        "will",
        "it",
        "in",
    ]
)


def detect_language(text: str) -> str:
    words = re.findall(r"[^\W\d_]+", unicodedata.normalize("NFKC", text).lower())
    nl = sum(w in NL_WORDS for w in words)
    en = sum(w in EN_WORDS for w in words)
    return "en" if en > nl else "nl"


def load_periods() -> list[tuple[str, date, date]]:
    import yaml

    pack = yaml.safe_load(CALENDAR.read_text(encoding="utf-8"))
    return [(p["name"], p["start"], p["end"]) for p in pack.get("calendar", [])]


def validate(rows: list[dict]) -> list[str]:
    errors = []
    seen = set()
    for n, row in enumerate(rows, 1):
        where = f"line {n}"
        if set(row) != {"input", "expect", "note"}:
            errors.append(f"{where}: top-level keys must be input, expect, note; got {sorted(row)}")
            continue
        inp, exp = row["input"], row["expect"]
        extra = set(inp) - INPUT_KEYS
        if extra:
            errors.append(f"{where}: unknown input keys {sorted(extra)}")
        if not isinstance(inp.get("text"), str) or not inp["text"].strip():
            errors.append(f"{where}: text missing or empty")
        rid = inp.get("id")
        if not isinstance(rid, str) or not re.fullmatch(r"c\d{4}", rid):
            errors.append(f"{where}: bad id {rid!r}")
        elif rid in seen:
            errors.append(f"{where}: duplicate id {rid}")
        seen.add(rid)
        acc = inp.get("account", {})
        if (
            acc.get("kind") not in KINDS
            or acc.get("channel") not in CHANNELS
            or not acc.get("handle")
        ):
            errors.append(f"{where}: bad account {acc}")
        author = inp.get("author", {})
        if not isinstance(author.get("dossiers"), list) or not isinstance(
            author.get("spokesperson"), bool
        ):
            errors.append(f"{where}: bad author {author}")
        for c in inp.get("colleagues", []):
            if set(c) != {"name", "handle", "consent"} or not isinstance(c["consent"], bool):
                errors.append(f"{where}: bad colleague {c}")
        for m in inp.get("media", []):
            if m.get("kind") != "image" or not isinstance(m.get("alt"), str):
                errors.append(f"{where}: bad media {m}")
        try:
            date.fromisoformat(inp.get("date", ""))
        except ValueError:
            errors.append(f"{where}: bad date {inp.get('date')!r}")
        topics = exp.get("topics")
        if not isinstance(topics, list) or len(set(topics)) != len(topics):
            errors.append(f"{where}: topics must be a list without repeats")
        else:
            for t in topics:
                if t not in TOPICS:
                    errors.append(f"{where}: unknown topic {t!r}")
        if exp.get("domain") not in DOMAINS:
            errors.append(f"{where}: unknown domain {exp.get('domain')!r}")
        if set(exp) != {"topics", "domain"}:
            errors.append(f"{where}: expect must have exactly topics and domain")
        if not isinstance(row["note"], str) or not row["note"].strip():
            errors.append(f"{where}: note missing")
    return errors


def counts(rows: list[dict]) -> dict:
    topic = Counter(t for r in rows for t in r["expect"]["topics"])
    domain = Counter(r["expect"]["domain"] for r in rows)
    lang = Counter(detect_language(r["input"]["text"]) for r in rows)
    kind = Counter(r["input"]["account"]["kind"] for r in rows)
    channel = Counter(r["input"]["account"]["channel"] for r in rows)
    clean = sum(1 for r in rows if not r["expect"]["topics"])
    clean_domain = Counter(r["expect"]["domain"] for r in rows if not r["expect"]["topics"])
    return {
        "total": len(rows),
        "topic": topic,
        "domain": domain,
        "lang": lang,
        "kind": kind,
        "channel": channel,
        "clean": clean,
        "clean_domain": clean_domain,
    }


def check_minimums(c: dict) -> list[str]:
    errors = []
    if c["total"] < MIN_LINES:
        errors.append(f"only {c['total']} drafts (minimum {MIN_LINES})")
    for t in TOPICS:
        if c["topic"][t] < MIN_PER_TOPIC:
            errors.append(f"topic {t}: {c['topic'][t]} positives (minimum {MIN_PER_TOPIC})")
    for dm in DOMAINS:
        if c["domain"][dm] < MIN_PER_DOMAIN:
            errors.append(f"domain {dm}: {c['domain'][dm]} drafts (minimum {MIN_PER_DOMAIN})")
    if c["clean"] < MIN_CLEAN:
        errors.append(f"only {c['clean']} clean drafts (minimum {MIN_CLEAN})")
    return errors


# ---------------------------------------------------------------- lint (hints, not errors)

DIFFICULT = (
    r"\b(betreffende|creëren|prioriteit|verstrekken|derhalve|teneinde|middels|inzake|initiëren"
    r"|relevant|in order to|utilis\w*|commenc\w*|facilitat\w*|pursuant|furnish|notwithstanding)\b"
)
PARTIES = (
    r"\b(VVD|PVV|GroenLinks-PvdA|D66|CDA|SP|BBB|NSC|JA21|FvD|DENK|Volt|SGP"
    r"|ChristenUnie|PvdD)\b"
)
IDENTIFIER = (
    r"[\w.]+@[\w.]+\.\w+|\d+[a-z]?,? \d{4} ?[A-Z]{2}|straat \d+|laan \d+|zaaknummer"
    r"|case \d|[A-Z]{2}-\d{3}-[A-Z]"
)


def lint(rows: list[dict]) -> list[str]:
    import grapheme
    import phonenumbers
    from stdnum import iban as stdiban
    from stdnum.nl import bsn

    hints = []
    periods = load_periods()
    for r in rows:
        inp, topics = r["input"], set(r["expect"]["topics"])
        text, rid = inp["text"], inp["id"]
        acc = inp["account"]

        def hint(msg: str, rid: str = rid) -> None:
            hints.append(f"{rid}: {msg}")

        in_period = any(s <= date.fromisoformat(inp["date"]) <= e for _, s, e in periods)
        if "sensitive-period" in topics and not in_period:
            hint("sensitive-period but dated outside every calendar period")
        if (
            in_period
            and "sensitive-period" not in topics
            and topics & {"party-politics", "own-field"}
        ):
            hint("party-politics/own-field inside a calendar period but no sensitive-period")
        if re.search(PARTIES, text) and "party-politics" not in topics:
            hint("party name without party-politics")
        words_per_sentence = [len(s.split()) for s in re.split(r"(?<=[.!?])\s+|\n+", text)]
        if (
            max(words_per_sentence) > 25
            and "plain-language" not in topics
            and "channel" not in topics
        ):
            hint(f"sentence of {max(words_per_sentence)} words without plain-language")
        if re.search(DIFFICULT, text, re.I) and "plain-language" not in topics:
            hint("difficult word without plain-language")
        n_graph = grapheme.length(text)
        limit = {"x": 280, "bluesky": 300, "mastodon": 500}.get(acc["channel"])
        if limit and n_graph > limit and "channel" not in topics:
            hint(f"{n_graph} graphemes on {acc['channel']} without channel")
        acc_signals = (
            any(
                m["alt"].strip() == ""
                or m["alt"].lower().startswith(("afbeelding van", "image of"))
                for m in inp.get("media", [])
            )
            or len(re.findall(r"#\w+", text)) > 2
            or any(len(h) > 12 and h.islower() for h in re.findall(r"#(\w+)", text))
            or re.search(r"klik hier|click here", text, re.I)
            or any(0x1D400 <= ord(ch) <= 0x1D7FF for ch in text)
            or sum(1 for ch in text if unicodedata.category(ch) == "So") > 3
        )
        if acc_signals and "accessibility" not in topics:
            hint("accessibility signal without accessibility")
        if not acc_signals and "accessibility" in topics:
            hint("accessibility label without an obvious signal")
        for m in re.finditer(r"(?<!\d)\d{9}(?!\d)", text):
            if bsn.is_valid(m.group()) and "personal-data" not in topics:
                hint(f"valid BSN {m.group()} without personal-data")
        for m in re.finditer(r"\bNL\d{2}[A-Z]{4}\d{10}\b", text):
            if (
                stdiban.is_valid(m.group())
                and "personal-data" not in topics
                and acc["kind"] != "organisational"
            ):
                hint("valid IBAN without personal-data")
        for m in phonenumbers.PhoneNumberMatcher(text, "NL"):
            if (
                phonenumbers.number_type(m.number) == phonenumbers.PhoneNumberType.MOBILE
                and "personal-data" not in topics
            ):
                hint(f"mobile number {m.raw_string} without personal-data")
        if "personal-data" in topics:
            found = False
            for m in re.finditer(r"(?<!\d)\d{9}(?!\d)", text):
                found |= bsn.is_valid(m.group())
            for m in re.finditer(r"\bNL\d{2}[A-Z]{4}\d{10}\b", text):
                found |= stdiban.is_valid(m.group())
            for m in phonenumbers.PhoneNumberMatcher(text, "NL"):
                found |= phonenumbers.is_valid_number(m.number)
            found |= bool(re.search(IDENTIFIER, text))
            if not found:
                hint("personal-data label but no recognisable identifier")
        names = {c["name"]: c["consent"] for c in inp.get("colleagues", [])}
        if any(not v for v in names.values()) and "colleagues" not in topics:
            hint("colleague without consent but no colleagues label")
        if "colleagues" in topics and all(names.values()):
            hint("colleagues label but every named colleague consented")
        if (
            acc["kind"] == "personal"
            and r["expect"]["domain"] == "organisation"
            and "account" not in topics
        ):
            hint("organisation domain on a personal account without account label")
        if (
            acc["kind"] == "organisational"
            and r["expect"]["domain"] == "person"
            and "account" not in topics
        ):
            hint("person domain on an organisational account without account label")
        dossiers = [d.lower() for d in inp["author"]["dossiers"]]
        if "own-field" in topics and not any(d in text.lower() for d in dossiers):
            hint("own-field but no dossier keyword in the text")
    return hints


def markdown(c: dict) -> str:
    out = ["| topic | positives |", "| --- | ---: |"]
    out += [f"| `{t}` | {c['topic'][t]} |" for t in TOPICS]
    out += ["", "| domain | drafts | of which clean |", "| --- | ---: | ---: |"]
    out += [f"| `{d}` | {c['domain'][d]} | {c['clean_domain'][d]} |" for d in DOMAINS]
    out += ["", "| language | drafts |", "| --- | ---: |"]
    out += [
        f"| {name} | {c['lang'][code]} |" for code, name in (("nl", "Dutch"), ("en", "English"))
    ]
    out += ["", "| account kind | drafts |", "| --- | ---: |"]
    out += [f"| {k} | {c['kind'][k]} |" for k in sorted(c["kind"])]
    out += ["", "| channel | drafts |", "| --- | ---: |"]
    out += [f"| {k} | {c['channel'][k]} |" for k in sorted(c["channel"])]
    positives = c["total"] - c["clean"]
    out += ["", f"Total: {c['total']} drafts: {c['clean']} clean, {positives} with a topic."]
    return "\n".join(out)


def main(argv: list[str]) -> int:
    rows = []
    errors = []
    for n, line in enumerate(CORPUS.read_text(encoding="utf-8").splitlines(), 1):
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as exc:
            errors.append(f"line {n}: invalid JSON ({exc})")
    errors += validate(rows)
    if errors:
        print("\n".join(errors))
        return 1
    c = counts(rows)
    errors = check_minimums(c)
    if "--markdown" in argv:
        print(markdown(c))
    else:
        print(f"drafts: {c['total']}  clean: {c['clean']}")
        print("topics:  " + ", ".join(f"{t}={c['topic'][t]}" for t in TOPICS))
        print("domains: " + ", ".join(f"{d}={c['domain'][d]}" for d in DOMAINS))
        print("languages: " + ", ".join(f"{k}={v}" for k, v in sorted(c["lang"].items())))
    if "--lint" in argv:
        for h in lint(rows):
            print("hint:", h)
    if errors:
        print("\n".join(errors))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
