"""Document numbers (文号) and index numbers (索引号) as citizens type them.

A 文号 such as 鹤政发〔2025〕4号 is typed as 鹤政发[2025]4号, 鹤政发(2025)4号, 鹤政发2025 4号,
鹤政发〔2025〕第4号, 鹤政发〔2025〕04号 or just 鹤政发 4号. Every form normalises to the same
sequence of parts — the issuer code, the year, the serial — stored as "<鹤政发><2025><4>", so
that exact and partial look-ups are plain string comparisons (and a LIKE on the database).
"""

import re

from .segmentation import HAN, normalise

_PART = re.compile(f"[{HAN}]+|[0-9]+|[a-z]+")
_BRACKETS = "〔〕[]()【】［］（）{}<>《》"
_LOOKS_LIKE = [
    re.compile(r"[〔\[【(（［]\s*\d{4}\s*[〕\]】)）］]"),  # a bracketed year
    re.compile(r"\d+\s*号"),  # …4号
    re.compile(r"第\s*\d+"),  # 第4…
    re.compile(f"[{HAN}][发函字令办]\\s*\\d{{4}}"),  # 鹤政发2025
]
INDEX_NUMBER = re.compile(r"^(?:([0-9a-z]{18})\s*/?\s*)?(\d{4})\s*-\s*(\d{1,6})$")
INDEX_CODE = re.compile(r"^[0-9a-z]{18}/?$")


def parts(text):
    """The parts of a document number: 第 and 号 around the serial dropped, leading zeros too."""
    out = []
    for part in _PART.findall(normalise(text)):
        if part[0].isdigit():
            out.append(str(int(part)))
            continue
        part = part.rstrip("第").lstrip("号")
        if part in ("", "第", "号"):
            continue
        out.append(part)
    return out


def normalise_doc_number(text):
    """The stored form: "<鹤政发><2025><4>" ('' when there is no number)."""
    return "".join(f"<{part}>" for part in parts(text))


def looks_like_doc_number(query):
    """Does the query look like (part of) a 文号? It must carry a number and a 文号 shape."""
    text = normalise(query)
    if not re.search(r"\d", text):
        return False
    return any(pattern.search(text) for pattern in _LOOKS_LIKE)


def like_patterns(query):
    """SQL LIKE patterns, most specific first: the contiguous form, then the parts in order
    with anything between them. Chinese parts match inside a longer issuer code, so
    国务院令第711号 finds 中华人民共和国国务院令第711号."""
    query_parts = parts(query)
    if not query_parts:
        return []
    contiguous = ""
    spread = "%"
    for i, part in enumerate(query_parts):
        if part[0].isdigit():
            piece = f"<{part}>"
        else:
            # a Chinese (or Latin) part may be the tail of a longer issuer code
            piece = f"{part}>" if i == 0 else f"<{part}>"
        contiguous += piece
        spread += piece + "%"
    return [f"%{contiguous}%", spread]


def match_tier(query, stored):
    """How well a stored normalised number matches the query: 3 exact, 2 contiguous (the
    query is a tail or middle of it), 1 all parts in order, 0 not at all."""
    if not stored:
        return 0
    target = normalise_doc_number(query)
    if not target:
        return 0
    if stored == target:
        return 3
    query_parts = parts(query)
    stored_parts = re.findall(r"<([^>]*)>", stored)
    n = len(query_parts)
    for start in range(len(stored_parts) - n + 1):
        window = stored_parts[start : start + n]
        if _part_matches(query_parts[0], window[0], first=True) and all(
            q == s for q, s in zip(query_parts[1:], window[1:], strict=True)
        ):
            return 2
    position = 0
    for i, part in enumerate(query_parts):
        while position < len(stored_parts) and not _part_matches(
            part, stored_parts[position], first=i == 0
        ):
            position += 1
        if position == len(stored_parts):
            return 0
        position += 1
    return 1


def _part_matches(query_part, stored_part, first):
    if query_part[0].isdigit():
        return query_part == stored_part
    return stored_part.endswith(query_part) if first else query_part == stored_part


def normalise_index_number(text):
    """索引号 as stored (upper case, no spaces), or the (code, year, serial) of a partial one."""
    return re.sub(r"\s+", "", normalise(text)).upper()


def parse_index_number(query):
    """(code or None, year, serial) for a query like 1123…X/2026-00042 or 2026-42, else None."""
    match = INDEX_NUMBER.match(re.sub(r"\s+", "", normalise(query)))
    if not match:
        return None
    code, year, serial = match.groups()
    return (code.upper() if code else None, int(year), int(serial))
