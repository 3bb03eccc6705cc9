"""Normalize a raw article: clean text, parse the dateline, hash and guess the language."""

import hashlib
import re
import unicodedata
from datetime import datetime

import py3langid
from selectolax.lexbor import LexborHTMLParser

from schemas import Dateline, NormalizedArticle, RawArticle
from service.pipeline.lexicon import MONTHS


class NormalizationError(ValueError):
    """The raw article cannot be turned into a normalized article."""


_HTML_RE = re.compile(
    r"<(?:html|body|p|div|br|span|a|b|i|em|strong|h[1-6]|article|section|script|style|li|ul|table)\b[^>]*>",
    re.IGNORECASE,
)
_BLOCK_END_RE = re.compile(r"<br\s*/?>|</(?:p|div|h[1-6]|li|article|section|tr|blockquote)\s*>", re.I)
_QUOTE_PAIRS = tuple(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u00b4": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
    }.items()
)
_NAME_APOSTROPHE_RE = re.compile(r"\u2019(?<=[^\W\d_]\u2019)(?=[^\W\d_])(?!s\b)")
"""An apostrophe inside a word such as a name (``Ri’ayatuddin``), kept as written; a possessive is folded."""
_INVISIBLE_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES_RE = re.compile(r"[^\S\n]+")
_PARAGRAPH_RE = re.compile(r"\n\s*\n\s*")
_LINE_RE = re.compile(r" *\n *")

_SIGNOFF = r"(?:VNA|VNS|AKP|FN|Bernama|Xinhua|AFP|Reuters|AP|ANN|VOV|NNT|TNA|Kyodo|KPL|BSS|CNE)"
_TRAILER_RES = (
    re.compile(r"\n*=\s*[A-Z][A-Z .]{1,30}\s*$"),
    re.compile(r"\n*\(?(?:By|Source:|Reported by|Photo:)[^\n]{0,80}\)?\s*$"),
    re.compile(r"\s*[–—-]+\s*" + _SIGNOFF + r"\s*$"),
    re.compile(r"\s*\(" + _SIGNOFF + r"\)\s*$"),
    re.compile(r"\n\s*" + _SIGNOFF + r"\s*$"),
    re.compile(r"\s*\bEnditem\s*$"),
)
"""Trailers, tried in turn until none is left: a "=" credit, a byline, a sign-off after a dash, in brackets or on
a line of its own, and Xinhua's "Enditem"."""
_SIGNOFFS = tuple(_SIGNOFF[3:-1].split("|"))
_SIGNOFFS_BRACKETED = tuple(f"({name})" for name in _SIGNOFFS)
_BYLINE_WORDS = ("By", "Source:", "Reported by", "Photo:")
_TAIL = 240
_SLASH_END_RE = re.compile(r"\s*\./\.\s*$")

_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_MONTH = rf"(?P<month>(?:{_MONTH_NAMES}))\.?"
_DASH = r"\s*(?:[–—]|-{1,2}|:)\s*"
_CITY_TC = r"(?P<city>[A-ZÀ-Ỹ][\w'’.-]*(?:\s+[A-ZÀ-Ỹ][\w'’.-]*){0,3})"
_CITY_UC = r"(?P<city>[A-ZÀ-Ỹ][A-ZÀ-Ỹ'’.-]*(?:\s+[A-ZÀ-Ỹ][A-ZÀ-Ỹ'’.-]*){0,3})"
_AGENCY = r"(?P<agency>[A-Za-z][A-Za-z.]{1,12})"
_DATELINE_RES = tuple(
    re.compile(p)
    for p in (
        # AKP Phnom Penh, February 25, 2019 –
        rf"^(?P<agency>[A-Z]{{2,8}})\s+{_CITY_TC},\s*{_MONTH}\s*(?P<day>\d{{1,2}}),?\s*(?P<year>\d{{4}})?{_DASH}",
        # Phnom Penh, March 3, 2025 AKP --
        rf"^{_CITY_TC},\s*{_MONTH}\s*(?P<day>\d{{1,2}}),\s*(?P<year>\d{{4}})\s+(?P<agency>[A-Z]{{2,8}}){_DASH}",
        # PHNOM PENH, Aug. 8 (AKP) –   /  LUANG PRABANG, Laos, Dec. 17 (Xinhua) --
        rf"^{_CITY_TC}(?:,\s*[A-Z][\w ]+?)?,\s*{_MONTH}\s*(?P<day>\d{{1,2}})(?:,\s*(?P<year>\d{{4}}))?"
        rf"\s*\({_AGENCY}\){_DASH}",
        # Phnom Penh (FN), Jun. 4 –   /  Hanoi (VNA) –
        rf"^{_CITY_TC}\s*\({_AGENCY}\)(?:,\s*{_MONTH}\s*(?P<day>\d{{1,2}})(?:,\s*(?P<year>\d{{4}}))?)?{_DASH}",
        # Phnom Penh, September 03, 2019 –   /  KUALA LUMPUR, July 5 —
        rf"^{_CITY_TC},\s*{_MONTH}\s*(?P<day>\d{{1,2}})(?:,\s*(?P<year>\d{{4}}))?{_DASH}",
        # HÀ NỘI —   /  KUALA LUMPUR:
        rf"^{_CITY_UC}{_DASH}",
        # Phnom Penh:
        rf"^{_CITY_TC}:\s*",
        # VOV.VN -
        r"^(?P<agency>[A-Z]{2,6}\.[A-Z]{2,3})\s*[–—-]+\s*",
    )
)
_LATIN_LETTER_RE = re.compile(r"[A-Za-zÀ-ɏḀ-ỿ]")
_SCRIPTS = (
    ("km", re.compile("[\u1780-\u17ff]")),
    ("th", re.compile("[\u0e00-\u0e7f]")),
    ("lo", re.compile("[\u0e80-\u0eff]")),
    ("my", re.compile("[\u1000-\u109f]")),
    ("zh", re.compile("[\u4e00-\u9fff]")),
    ("ja", re.compile("[\u3040-\u30ff]")),
    ("ko", re.compile("[\uac00-\ud7af]")),
    ("ru", re.compile("[\u0400-\u04ff]")),
    ("ar", re.compile("[\u0600-\u06ff]")),
)
_OTHER_SCRIPT_RE = re.compile("[" + "".join(pattern.pattern[1:-1] for _, pattern in _SCRIPTS) + "]")
_EN_WORDS = tuple(
    f" {word} "
    for word in ("the", "and", "of", "to", "in", "with", "on", "for", "that", "said", "was", "has", "his", "their")
)
_LANG_SAMPLE = 600
_MODEL_SAMPLE = 300


def _is_html(body: str) -> bool:
    return "<" in body and _HTML_RE.search(body) is not None


def _html_to_text(body: str) -> str:
    tree = LexborHTMLParser(_BLOCK_END_RE.sub("\n\n", body))
    for node in tree.css("script, style, noscript, template"):
        node.decompose()
    root = tree.body or tree.root
    return root.text(separator="") if root is not None else ""


def clean_text(text: str) -> str:
    """Fold unicode, quotes and whitespace; paragraph breaks become a blank line."""
    text = unicodedata.normalize("NFC", text)
    if not text.isascii():
        if "\u2019" in text and _NAME_APOSTROPHE_RE.search(text):
            text = "\u2019".join(_straight_quotes(part) for part in _NAME_APOSTROPHE_RE.split(text))
        else:
            text = _straight_quotes(text)
    if not text.replace("\n", " ").isprintable():
        return _clean_odd_text(text)
    while "  " in text:
        text = text.replace("  ", " ")
    if " \n" in text:
        text = text.replace(" \n", "\n")
    if "\n " in text:
        text = text.replace("\n ", "\n")
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip()


def _straight_quotes(text: str) -> str:
    for curly, straight in _QUOTE_PAIRS:
        if curly in text:
            text = text.replace(curly, straight)
    return text


def _clean_odd_text(text: str) -> str:
    """The general path of :func:`clean_text`, for text with tabs, carriage returns or invisible characters."""
    text = _INVISIBLE_RE.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL_RE.sub(" ", text.replace("\t", " ").replace("\u2028", "\n").replace("\u2029", "\n\n"))
    text = _SPACES_RE.sub(" ", text)
    text = _PARAGRAPH_RE.sub("\n\n", text)
    return _LINE_RE.sub("\n", text).strip()


def strip_trailer(text: str) -> str:
    """Remove agency sign-offs and bylines at the end of the text."""
    cut = max(0, len(text) - _TAIL)
    head, text = text[:cut], text[cut:]
    changed = True
    while changed:
        changed = False
        body = text.rstrip()
        for number, pattern in enumerate(_TRAILER_RES):
            start = _trailer_start(text, body, number)
            if start < 0:
                continue
            stripped = text[:start] + pattern.sub("", text[start:])
            if stripped != text and stripped.strip():
                text, changed = stripped.rstrip(), True
                body = text
        if "./." in text and _SLASH_END_RE.search(text):
            text, changed = _SLASH_END_RE.sub(".", text), True
    return (head + text).rstrip()


def _trailer_start(text: str, body: str, number: int) -> int:
    """Where trailer pattern ``number`` can start matching in ``text`` (``body`` without its trailing whitespace);
    -1 where it cannot match.

    Every trailer ends the text and keeps to its last line but for the whitespace around it, so a pattern
    only needs to be tried from the start of that line, and not at all when its literal is absent.
    """
    if number == 0:
        start = body.rfind("=", max(0, len(body) - 48))
    elif number == 1:
        start = body.rfind("\n") + 1
        line = body[start:]
        if not any(word in line for word in _BYLINE_WORDS):
            return -1
    elif number == 5:
        if not body.endswith("Enditem"):
            return -1
        start = len(body) - len("Enditem")
    else:
        if not body.endswith(_SIGNOFFS_BRACKETED if number == 3 else _SIGNOFFS):
            return -1
        start = body.rfind("\n") + 1
        if number == 4 and (start == 0 or body[start:] not in _SIGNOFFS):
            return -1
    if start < 0:
        return -1
    while start > 0 and text[start - 1].isspace():
        start -= 1
    return max(0, start - 1) if number == 2 else start


def _city_name(raw: str) -> str:
    raw = raw.strip()
    return raw.title() if raw.isupper() and len(raw) > 3 else raw


def parse_dateline(text: str) -> Dateline:
    """Parse the dateline that opens ``text``; ``end`` is where the story starts."""
    head = text[:160]
    for pattern in _DATELINE_RES:
        match = pattern.match(head)
        if match is None:
            continue
        groups = match.groupdict()
        city = groups.get("city")
        if city and len(city) > 40:
            continue
        month = groups.get("month")
        day = groups.get("day")
        year = groups.get("year")
        day_value = int(day) if day else None
        if day_value is not None and not 1 <= day_value <= 31:
            continue
        return Dateline(
            city=_city_name(city) if city else None,
            agency=groups.get("agency"),
            year=int(year) if year else None,
            month=MONTHS[month.lower()] if month else None,
            day=day_value,
            end=match.end(),
        )
    return Dateline()


def guess_language(text: str) -> str:
    """Return an ISO 639-1 guess for ``text``: from its script, from English function words, else a cheap model."""
    sample = text[:_LANG_SAMPLE]
    ascii_only = sample.isascii()
    if not ascii_only and _OTHER_SCRIPT_RE.search(sample):
        latin = len(_LATIN_LETTER_RE.findall(sample))
        for code, pattern in _SCRIPTS:
            if len(pattern.findall(sample)) > latin:
                return code
    words = sample.count(" ") + 1
    if words >= 20 and _english_enough(sample, words * 0.12):
        return "en"
    if ascii_only and not any(char.isalpha() for char in sample):
        return "und"
    if not ascii_only and not _LATIN_LETTER_RE.search(sample):
        return "und"
    code, _ = py3langid.classify(sample[:_MODEL_SAMPLE])
    return str(code)


def _english_enough(sample: str, needed: float) -> bool:
    """Whether English function words occur at least ``needed`` times in ``sample``; stops counting once they do."""
    found = 0
    for word in _EN_WORDS:
        found += sample.count(word)
        if found >= needed:
            return True
    return False


def content_hash(source: str, title: str | None, text: str) -> str:
    """SHA-256 hex of source, title and clean text."""
    digest = hashlib.sha256()
    for part in (source, title or "", text):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\x1f")
    return digest.hexdigest()


def normalize(raw: RawArticle, *, received_at: datetime) -> NormalizedArticle:
    """Clean ``raw`` into a :class:`NormalizedArticle`; raise :class:`NormalizationError` on bad input."""
    if not isinstance(raw.body, str) or not raw.body.strip():
        raise NormalizationError("empty body")
    try:
        body = _html_to_text(raw.body) if _is_html(raw.body) else raw.body
        text = strip_trailer(clean_text(body))
        title = clean_text(raw.title) if raw.title else None
    except (UnicodeError, ValueError) as exc:
        raise NormalizationError(f"cannot clean body: {exc}") from exc
    if not text:
        raise NormalizationError("body has no text")
    source = clean_text(raw.source) or "unknown"
    return NormalizedArticle(
        id=raw.id,
        source=source,
        url=raw.url,
        published_at=raw.published_at,
        title=title or None,
        text=text,
        dateline=parse_dateline(text),
        language=guess_language(text),
        content_hash=content_hash(source, title, text),
        received_at=received_at,
    )
