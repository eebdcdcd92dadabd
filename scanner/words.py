"""Tell identifiers from secrets: a value that splits into dictionary words and identifier parts
(``getUserPasswordHash``, ``my_secret_key_name``, ``passwordResetTokenV2``), a dotted or slashed path
of such parts (``self.token_store.get``, ``application/json``) or, without a digit, letters in one case
(``loadbalancerconfig``) is a name, not a key; parts in random mixed case (``V8f7FBpwJOJASv.JumeU``,
``MsqSBTGkkGmaon.bKMsF``) are not."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import regex

_PARTS = regex.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")
_IDENTIFIER = regex.compile(r"(?:[A-Za-z0-9_.:/-]|->)+")  # ``Summer2024!Secret`` is a password, not a name
_PATH_SEPARATOR = regex.compile(r"\.|::?|->|/")
_LETTER_RUN = regex.compile(r"[A-Za-z_-]+")
# snake, kebab (one run of digits inside: ``_win32typing``), CONSTANT, a capitalised word; a version at the end
_ONE_CASE = regex.compile(r"[a-z_-]+(?:[0-9]+[a-z_-]+)?[0-9]*|[A-Z_-]+[0-9]*|[A-Z][a-z]+[0-9]*|[0-9]*")
MIN_WORDS = 2  # a single word (``password1``) is left to the entropy and placeholder checks
MAX_ACRONYM = 5  # an upper-case part this short (``PKCS``, ``HTTPS``) is an acronym: neither word nor noise
MAX_OTHER_LETTERS = 2  # letters outside words a name may have: a version tag (``V2``), a stray ``x``


@cache
def words() -> frozenset[str]:
    """The dictionary (``data/words.txt``: common English words and words of code), loaded on first use."""
    text = (Path(__file__).parent / "data" / "words.txt").read_text(encoding="utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


def looks_like_name(value: str) -> bool:
    """True when ``value`` is a name: without a digit, when each run of letters in it is a name part
    (:func:`_name_part`: ``creds_dict.get(``, ``GetPassCallable().getpass``); with digits, when it is
    made of identifier characters and either of at least two dictionary words with at most
    :data:`MAX_OTHER_LETTERS` letters outside them, or a path most of whose parts are name parts
    (``amzn1.account.AF6RHO7KZU5X``, not ``V8f7FBpwJOJASv.JumeU``)."""
    if not any(c.isdigit() for c in value):
        return all(_name_part(run) for run in _LETTER_RUN.findall(value))
    if not _IDENTIFIER.fullmatch(value):
        return False
    if _made_of_words(value):
        return True
    parts = [part for part in _PATH_SEPARATOR.split(value) if part]
    return len(parts) > 1 and sum(map(_name_part, parts)) * 2 > len(parts)


def _made_of_words(value: str) -> bool:
    vocabulary = words()
    found = other = 0
    for part in _PARTS.findall(value):
        if part.isdigit() or (part.isupper() and len(part) <= MAX_ACRONYM):
            continue
        if _is_word(part.lower(), vocabulary):
            found += 1
        else:
            other += len(part)
            if other > MAX_OTHER_LETTERS:
                return False
    return found >= MIN_WORDS


def _name_part(part: str) -> bool:
    """One part of a path: in one case (``token_store``, ``OPENAI_API_KEY``, ``float64``, ``Keyword``), or
    with at least half of its letters, or of its pieces, in dictionary words (``tokenUrl``, ``GetPassCallable``)."""
    if _ONE_CASE.fullmatch(part):
        return True
    vocabulary = words()
    letters = in_words = pieces = word_pieces = 0
    for piece in _PARTS.findall(part):
        if piece.isdigit() or (piece.isupper() and len(piece) <= MAX_ACRONYM):
            continue
        letters += len(piece)
        pieces += 1
        if _is_word(piece.lower(), vocabulary):
            in_words += len(piece)
            word_pieces += 1
    return word_pieces > 0 and (in_words * 2 >= letters or word_pieces * 2 >= pieces)


def _is_word(part: str, vocabulary: frozenset[str]) -> bool:
    """``part`` or its stem (``users``, ``cached``, ``loading``) is in ``vocabulary``."""
    if part in vocabulary:
        return True
    return any(part.endswith(end) and part[: -len(end)] in vocabulary for end in ("s", "es", "ed", "d", "ing", "er"))
