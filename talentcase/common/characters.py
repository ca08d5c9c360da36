"""Which characters a name, a passport number or free text may hold: pure rules, for a case's particulars
(cases.schema) and the names of companies and people (accounts)."""

from __future__ import annotations

import re
import unicodedata

# Joiners some scripts need inside words (Persian, the Indic scripts): kept in free text, as they cannot reorder it.
JOINERS = frozenset("\u200c\u200d")
# What may stand between the letters of a name besides spaces: hyphens, apostrophes (as keyboards type them), dots
# and a comma ("CHAN, Tai Man"); a Chinese name may also have the middle dot of a transliteration (約翰·史密斯).
NAME_MARKS = frozenset("-\u2010'\u2019\u02bc\u00b4.,")
CHINESE_NAME_MARKS = NAME_MARKS | frozenset("\u00b7\u2027\u30fb\u2022")
# As in the machine-readable zone of a passport (after full-width letters and digits are made plain).
PASSPORT_NUMBER = re.compile(r"[A-Za-z0-9]+")
# Pictographs and symbols that have no place in a university's name: emoji and other symbols (So), their skin-tone
# modifiers, private-use icons and code points this Python does not know yet (newer emoji).
PICTOGRAPH_CATEGORIES = frozenset({"So", "Co", "Cn", "Cs"})
SKIN_TONES = range(0x1F3FB, 0x1F400)


def is_hidden(char: str) -> bool:
    """A character that shows nothing yet can change what is shown: the bidi controls (U+202E shows "evil" as
    "live"), zero-width and other format characters (Cf), and control characters other than line breaks and tabs."""
    category = unicodedata.category(char)
    return category == "Cf" or (category == "Cc" and char not in "\n\r\t")


def has_hidden(text: str) -> bool:
    """Whether the text holds a hidden character (see is_hidden): refused in names, which must show what is stored."""
    return any(is_hidden(char) for char in text)


def is_visible(text: str) -> bool:
    """Whether the text shows anything: spaces and invisible format characters (a zero-width space) alone do not."""
    return any(not char.isspace() and not is_hidden(char) for char in text)


def without_hidden(text: str) -> str:
    """Free text without its hidden characters: what is stored is what was seen, in the order it was seen."""
    return "".join(char for char in text if char in JOINERS or not is_hidden(char))


def is_name(text: str, *, latin_only: bool) -> bool:
    """Letters (Latin ones only, or of any script) with their accents, spaces and a name's punctuation."""
    marks = NAME_MARKS if latin_only else CHINESE_NAME_MARKS
    letters = 0
    previous = ""
    for char in text:
        category = unicodedata.category(char)
        if char == " " or char in marks:
            pass
        elif category.startswith("L"):
            if latin_only and "LATIN" not in unicodedata.name(char, ""):
                return False
            letters += 1
        elif not (category.startswith("M") and unicodedata.category(previous or " ")[0] in "LM"):
            return False  # a digit, a symbol, an emoji, or an accent with no letter to sit on
        previous = char
    return letters > 0


def has_pictograph(text: str) -> bool:
    """Whether the text has an emoji or another pictograph or symbol."""
    return any(unicodedata.category(char) in PICTOGRAPH_CATEGORIES or ord(char) in SKIN_TONES for char in text)
