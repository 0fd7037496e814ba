"""A section of the verzuimbeleid chapter, its small block format (paragraphs, "## " subheadings, "- " lists),
the document the writers print, and the Dutch text helpers the sections are written with."""

from __future__ import annotations

import re
from dataclasses import dataclass

from verzuimdesk.model import dutch

# ------------------------------------------------------------------------------------------ sections


@dataclass(frozen=True)
class Section:
    """One section of the chapter. ``edited``: heading or text differ from the generated ones; ``stale``: the
    settings changed since the text was edited (the generated text is now different from the one edited)."""

    key: str
    heading: str
    text: str
    mandatory: bool
    enabled: bool = True
    edited: bool = False
    stale: bool = False

    def to_json(self) -> dict[str, object]:
        return {"key": self.key, "heading": self.heading, "text": self.text, "mandatory": self.mandatory,
                "enabled": self.enabled, "edited": self.edited}  # fmt: skip

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Section:
        return cls(str(data["key"]), str(data["heading"]), str(data["text"]), bool(data.get("mandatory")),
                   bool(data.get("enabled", True)), bool(data.get("edited", False)))  # fmt: skip

    @property
    def paragraphs(self) -> list[str]:
        """The prose paragraphs (lists and subheadings left out)."""
        return [content for kind, content in blocks(self.text) if kind == "p" and isinstance(content, str)]




def blocks(text: str) -> list[tuple[str, str | tuple[str, ...]]]:
    """The blocks of a section text: ("h", subheading), ("p", paragraph), ("list", items)."""
    out: list[tuple[str, str | tuple[str, ...]]] = []
    para: list[str] = []
    items: list[str] = []

    def flush() -> None:
        if para:
            out.append(("p", " ".join(para)))
            para.clear()
        if items:
            out.append(("list", tuple(items)))
            items.clear()

    for chunk in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip()):
        for line in (line.strip() for line in chunk.split("\n")):
            if not line:
                continue
            if line.startswith("## "):
                flush()
                out.append(("h", line[3:].strip()))
            elif line.startswith(("- ", "• ")):
                if para:
                    flush()
                items.append(line[2:].strip())
            elif items and not para:
                items[-1] += " " + line  # a continued list item
            else:
                para.append(line)
        flush()
    return out


@dataclass(frozen=True)
class PolicyDocument:
    """What the writers print: title, school, version line and the sections switched on."""

    title: str
    school_name: str
    school_year: str
    version_line: str
    sections: tuple[Section, ...]


# -------------------------------------------------------------------------------------- text helpers


def pct(value: float) -> str:
    return dutch.number(value, 1, trim=True)


def join(items: list[str]) -> str:
    items = [i for i in items if i]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " en " + items[-1] if items else ""


def listing(items: list[str] | tuple[str, ...]) -> str:
    return "\n".join(f"- {item}" for item in items)
