"""Accuracy of extracted meeting events against labelled articles (``meetwire eval``).

Meetings are paired inside each article by shared participants (the pair with most shared people
first, then the same date); every figure is computed over the pairs, and unpaired meetings count
against recall or precision. People are the same when their names, folded to ASCII and stripped
of honorifics, are equal or one (of two or more words) is contained in the other.
"""

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

HONORIFICS = frozenset(
    {
        "samdech",
        "akka",
        "moha",
        "sena",
        "padei",
        "techo",
        "borvor",
        "bovor",
        "thipadei",
        "thiapadei",
        "kralahom",
        "vibol",
        "pheakdei",
        "he",
        "h.e",
        "excellency",
        "his",
        "her",
        "lok",
        "chumteav",
        "oknha",
        "neak",
        "dr",
        "mr",
        "mrs",
        "ms",
        "madam",
        "prof",
        "professor",
        "general",
        "gen",
        "lt",
        "lieutenant",
        "admiral",
        "ambassador",
        "minister",
        "senior",
        "sir",
        "dame",
        "hon",
        "honourable",
        "honorable",
        "king",
        "queen",
        "",
    }
)

Person = dict[str, Any]
Meeting = dict[str, Any]


def name_key(name: str | None) -> tuple[str, ...]:
    """A name folded to lower-case ASCII words, honorifics removed."""
    folded = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().lower()
    folded = re.sub(r"[^a-z\s-]", " ", folded).replace("-", " ")
    return tuple(word for word in folded.split() if word not in HONORIFICS)


def same_person(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Equal names, or the shorter (of two or more words) contained in the longer."""
    if not a or not b:
        return False
    if a == b:
        return True
    small, big = sorted((set(a), set(b)), key=len)
    return len(small) >= 2 and small <= big


def _text(value: str | None) -> str | None:
    return re.sub(r"\s+", " ", (value or "").strip().lower()) or None


@dataclass
class Counts:
    """True and false positives and negatives."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, tp: int = 0, fp: int = 0, fn: int = 0) -> None:
        """Add to the counts."""
        self.tp, self.fp, self.fn = self.tp + tp, self.fp + fp, self.fn + fn

    def prf(self) -> tuple[float, float, float]:
        """Precision, recall and F1, rounded to 4 places."""
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return round(p, 4), round(r, 4), round(f, 4)


@dataclass
class Accuracy:
    """Share of checks that held."""

    ok: int = 0
    n: int = 0

    def add(self, good: bool) -> None:
        """Count one check."""
        self.n += 1
        self.ok += good

    def value(self) -> float:
        """The share, rounded to 4 places (1.0 with no checks)."""
        return round(self.ok / self.n, 4) if self.n else 1.0


def pair_people(gold: list[Person], pred: list[Person]) -> list[tuple[Person, Person]]:
    """Each gold person with the first unused predicted person of the same name."""
    pairs, used = [], set()
    for g in gold:
        key = name_key(g.get("name"))
        for j, p in enumerate(pred):
            if j not in used and same_person(key, name_key(p.get("name"))):
                pairs.append((g, p))
                used.add(j)
                break
    return pairs


def pair_meetings(gold: list[Meeting], pred: list[Meeting]) -> list[tuple[Meeting, Meeting]]:
    """Gold and predicted meetings paired by most shared participants, then the same date."""
    scored = []
    for i, g in enumerate(gold):
        for j, p in enumerate(pred):
            overlap = len(pair_people(g.get("participants", []), p.get("participants", [])))
            if overlap:
                scored.append((overlap, g.get("date") == p.get("date"), -i, -j, i, j))
    scored.sort(reverse=True)
    pairs, used_g, used_p = [], set(), set()
    for *_, i, j in scored:
        if i not in used_g and j not in used_p:
            pairs.append((gold[i], pred[j]))
            used_g.add(i)
            used_p.add(j)
    return pairs


@dataclass
class Evaluation:
    """Every figure of an evaluation, and the disagreements behind them."""

    figures: dict[str, Any]
    misses: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """The one-line summary."""
        f = self.figures
        return (
            f"summary: meeting_f1={f['meeting_prf'][2]} participant_f1={f['participant_prf'][2]} "
            f"kind={f['kind_acc']} date={f['date_acc']} city={f['city_acc']} "
            f"name_exact={f['participant_name_exact_acc']} role={f['participant_role_acc']} "
            f"pcountry={f['participant_country_acc']} topic_f1={f['topic_prf'][2]}"
        )


def evaluate(gold: Mapping[str, list[Meeting]], predictions: Iterable[Meeting]) -> Evaluation:
    """Score ``predictions`` (events with ``article_id``) against ``gold`` (article id -> labelled meetings)."""
    pred: dict[str, list[Meeting]] = defaultdict(list)
    unknown = 0
    for event in predictions:
        if event.get("article_id") in gold:
            pred[event["article_id"]].append(event)
        else:
            unknown += 1
    detect, meetings, people, topics = Counts(), Counts(), Counts(), Counts()
    acc = {name: Accuracy() for name in ("kind", "date", "city", "country", "role", "pcountry", "exact")}
    misses: list[str] = []
    for aid, gms in gold.items():
        pms = pred.get(aid, [])
        detect.add(tp=int(bool(gms) and bool(pms)), fp=int(not gms and bool(pms)), fn=int(bool(gms) and not pms))
        pairs = pair_meetings(gms, pms)
        meetings.add(tp=len(pairs), fp=len(pms) - len(pairs), fn=len(gms) - len(pairs))
        paired_g = {id(g) for g, _ in pairs}
        paired_p = {id(p) for _, p in pairs}
        for g in (g for g in gms if id(g) not in paired_g):
            people.add(fn=len(g.get("participants", [])))
            topics.add(fn=len(set(g.get("topics", []))))
            misses.append(f"{aid}: missed meeting {[p['name'] for p in g.get('participants', [])]}")
        for p in (p for p in pms if id(p) not in paired_p):
            people.add(fp=len(p.get("participants", [])))
            topics.add(fp=len(set(p.get("topics", []))))
            misses.append(f"{aid}: spurious meeting {[q.get('name') for q in p.get('participants', [])]}")
        for g, p in pairs:
            _score_pair(aid, g, p, people, topics, acc, misses)
    figures = {
        "articles": len(gold),
        "detect_prf": detect.prf(),
        "meeting_prf": meetings.prf(),
        "participant_prf": people.prf(),
        "participant_name_exact_acc": acc["exact"].value(),
        "participant_role_acc": acc["role"].value(),
        "participant_country_acc": acc["pcountry"].value(),
        "kind_acc": acc["kind"].value(),
        "date_acc": acc["date"].value(),
        "city_acc": acc["city"].value(),
        "country_acc": acc["country"].value(),
        "topic_prf": topics.prf(),
        "predictions_for_unknown_articles": unknown,
    }
    return Evaluation(figures, misses)


def _score_pair(
    aid: str, g: Meeting, p: Meeting, people: Counts, topics: Counts, acc: dict[str, Accuracy], misses: list[str]
) -> None:
    gps, pps = g.get("participants", []), p.get("participants", [])
    paired = pair_people(gps, pps)
    people.add(tp=len(paired), fp=len(pps) - len(paired), fn=len(gps) - len(paired))
    for gp, pp in paired:
        acc["role"].add(gp.get("role") == pp.get("role"))
        acc["pcountry"].add(gp.get("country") == pp.get("country"))
        same_name = _text(gp.get("name")) == _text(pp.get("name"))
        acc["exact"].add(same_name)
        if not same_name:
            misses.append(f"{aid}: name gold={gp.get('name')!r} pred={pp.get('name')!r}")
    gt, pt = set(g.get("topics", [])), set(p.get("topics", []))
    topics.add(tp=len(gt & pt), fp=len(pt - gt), fn=len(gt - pt))
    checks: tuple[tuple[str, Callable[[Any], Any]], ...] = (
        ("kind", str),
        ("date", str),
        ("city", _text),
        ("country", str),
    )
    for name, fold in checks:
        gv, pv = g.get(name), p.get(name)
        good = (gv is None and pv is None) or (gv is not None and pv is not None and fold(gv) == fold(pv))
        acc[name].add(good)
        if not good:
            misses.append(f"{aid}: {name} gold={gv!r} pred={pv!r}")
