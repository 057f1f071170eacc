"""Automatic first-pass moderation of review text."""
import re
from dataclasses import dataclass, field

BLOCKED_TERMS = frozenset({"scammer", "idiot", "moron", "crook"})
URL_RE = re.compile(r"https?://|www\.", re.IGNORECASE)
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
PHONE_RE = re.compile(r"(?:\+?\d[\s-]?){9,}")
REPEATED_RE = re.compile(r"(.)\1{5,}")
WORD_RE = re.compile(r"[a-z']+")

APPROVAL_THRESHOLD = 0.5


@dataclass
class ModerationResult:
    score: float
    reasons: list = field(default_factory=list)

    @property
    def approved(self) -> bool:
        return self.score < APPROVAL_THRESHOLD


def _uppercase_ratio(text: str) -> float:
    letters = [char for char in text if char.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for char in letters if char.isupper()) / len(letters)


def score_text(title: str, body: str) -> ModerationResult:
    """Heuristic spam/abuse score between 0 and ~2; below 0.5 is auto-approved."""
    text = f"{title}\n{body}"
    result = ModerationResult(score=0.0)
    if URL_RE.search(text):
        result.score += 0.5
        result.reasons.append("contains_link")
    if EMAIL_RE.search(text) or PHONE_RE.search(text):
        result.score += 0.5
        result.reasons.append("contains_contact_details")
    words = set(WORD_RE.findall(text.lower()))
    if words & BLOCKED_TERMS:
        result.score += 0.6
        result.reasons.append("abusive_language")
    if len(text) > 20 and _uppercase_ratio(text) > 0.6:
        result.score += 0.2
        result.reasons.append("shouting")
    if REPEATED_RE.search(text):
        result.score += 0.1
        result.reasons.append("repeated_characters")
    if len(body.strip()) < 10:
        result.score += 0.2
        result.reasons.append("too_short")
    result.score = round(result.score, 2)
    return result
