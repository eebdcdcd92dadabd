"""Write a redaction benchmark's table into its subsection of ``## Redaction`` in RESULTS.md."""

from __future__ import annotations

import re
from pathlib import Path

RESULTS = Path(__file__).with_name("RESULTS.md")
SECTION = "## Redaction"


def write_subsection(title: str, body: str) -> None:
    """Replace (or add) ``### title`` inside ``## Redaction``; other sections are left as they are."""
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    sub = f"### {title}\n\n{body.strip()}\n"
    start = text.find(f"\n{SECTION}\n")
    if start < 0:
        text = text.rstrip("\n") + f"\n\n{SECTION}\n\n{sub}"
    else:
        nxt = re.search(r"\n## ", text[start + 1 :])
        end = start + 1 + nxt.start() + 1 if nxt else len(text)
        section = text[start + 1 : end].rstrip("\n") + "\n"
        pattern = re.compile(rf"### {re.escape(title)}\n.*?(?=\n### |\Z)", re.S)
        if pattern.search(section):
            section = pattern.sub(lambda _: sub.rstrip("\n") + "\n", section)
        else:
            section += "\n" + sub
        text = text[: start + 1] + section.rstrip("\n") + "\n" + ("\n" + text[end:] if end < len(text) else "")
    RESULTS.write_text(text.rstrip("\n") + "\n", encoding="utf-8")
