"""The check behind the Chinese journeys: a full-page screenshot of each page, and no English UI text on it.

What is read is what a person gets: the rendered visible text (`innerText`, what the screenshot shows), the page
title, and the texts that assistive technology reads or that show on hover or in an empty field (aria-label,
placeholder, alt, title, and the values of buttons). Every Latin word left once the data values the test put in
(names, e-mail addresses, references, file names...) and the allowed names are taken out counts as English UI.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from gettext import GNUTranslations
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Page

from tests.i18n.test_catalogue import ALLOWED_LATIN, MO

# Values the app writes itself that are data, not wording: case references, e-mail addresses, file names, and the
# version/identifier strings of a pack (e.g. "v1").
DATA_PATTERNS = (
    re.compile(r"TC-\d{4}-\d{6}"),
    re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    re.compile(r"[\w.-]+\.(?:pdf|png|jpe?g)\b", re.I),
)
LATIN_WORD = re.compile(r"[A-Za-z]+")

_READ = """() => {
  const attributes = [];
  for (const el of document.querySelectorAll('[aria-label], [placeholder], [alt], [title]')) {
    for (const name of ['aria-label', 'placeholder', 'alt', 'title']) {
      const value = el.getAttribute(name);
      if (value && value.trim()) { attributes.push([name, value.trim()]); }
    }
  }
  for (const el of document.querySelectorAll('input[type=submit], input[type=button], input[type=reset]')) {
    if (el.value) { attributes.push(['value', el.value]); }
  }
  return {title: document.title, body: document.body.innerText, attributes};
}"""


def chinese() -> GNUTranslations:
    """The compiled catalogue, so that a test can find a control by its Chinese name: `zh("Save as draft")`."""
    with MO.open("rb") as handle:
        return GNUTranslations(handle)


def english_left(text: str, data_values: set[str]) -> list[str]:
    """The lines of text that still hold a Latin word once data values and allowed names are taken out."""
    found = []
    for line in text.splitlines():
        rest = line
        for value in sorted(data_values, key=len, reverse=True):
            rest = rest.replace(value, " ")
        for pattern in DATA_PATTERNS:
            rest = pattern.sub(" ", rest)
        for allowed in sorted(ALLOWED_LATIN, key=len, reverse=True):
            rest = rest.replace(allowed, " ")
        if LATIN_WORD.search(rest):
            found.append(line.strip())
    return found


@dataclass
class NoEnglishLeft:
    """Screenshots every page it is shown and keeps, per page, the English UI text found on it."""

    folder: Path
    data_values: set[str] = field(default_factory=set)
    pages: list[str] = field(default_factory=list)
    leftovers: dict[str, list[str]] = field(default_factory=dict)

    def check(self, page: Page, name: str) -> None:
        page.wait_for_load_state("load")
        assert page.locator("html").get_attribute("lang") == "zh-Hant-HK", f"{name}: the page is not in Chinese"
        label = f"{name} <{urlsplit(page.url).path}>"
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        page.screenshot(path=str(self.folder / f"{len(self.pages) + 1:02d}-{slug}.png"), full_page=True)
        self.pages.append(label)
        read = page.evaluate(_READ)
        found = [f"<title> {line}" for line in english_left(read["title"], self.data_values)]
        found += english_left(read["body"], self.data_values)
        for attribute, value in read["attributes"]:
            found += [f'[{attribute}="{line}"]' for line in english_left(value, self.data_values)]
        if found:
            self.leftovers[label] = found

    def assert_clean(self) -> None:
        assert self.pages, "no page was checked"
        report = "\n".join(f"== {label}\n  " + "\n  ".join(lines) for label, lines in self.leftovers.items())
        assert not self.leftovers, f"English UI text on Chinese pages (screenshots in {self.folder}):\n{report}"
