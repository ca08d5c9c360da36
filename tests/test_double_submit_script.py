"""Every page loads the double-submit guard (static/js/double-submit.js): each layout a browser is served includes it,
every page template extends one of those layouts, and the script is served under the Content-Security-Policy.

What the script does in a browser is proved in Chromium by tests/browser/test_double_submit.py."""

from __future__ import annotations

import re
from pathlib import Path

from talentcase.common.security import CSP

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
SCRIPT = "js/double-submit.js"
SCRIPT_TAG = "<script src=\"{{ url_for('static', filename='" + SCRIPT + "') }}\" defer></script>"
EXTENDS = re.compile(r"""{%-?\s*extends\s+["']([^"']+)["']""")


def browser_templates() -> list[Path]:
    """The templates served to a browser: all but the PDF pack's (WeasyPrint renders those)."""
    return sorted(path for path in TEMPLATES.rglob("*.html") if path.relative_to(TEMPLATES).parts[0] != "pdf")


def name_of(path: Path) -> str:
    return path.relative_to(TEMPLATES).as_posix()


def layouts() -> list[Path]:
    return [path for path in browser_templates() if "<html" in path.read_text()]


def test_every_layout_includes_the_script():
    found = {name_of(path) for path in layouts()}
    assert {"base.html", "portal/base.html"} <= found  # the staff pages' layout and the expert portal's
    for path in layouts():
        assert SCRIPT_TAG in path.read_text(), f"{name_of(path)} does not load {SCRIPT}"


def test_every_page_extends_a_layout_that_includes_it():
    """Pages extend a layout (perhaps through another page); partials (_*.html) are included in pages."""
    layout_names = {name_of(path) for path in layouts()}
    for path in browser_templates():
        if path.name.startswith("_") or name_of(path) in layout_names:
            continue
        chain = [name_of(path)]
        while chain[-1] not in layout_names:
            parent = EXTENDS.search((TEMPLATES / chain[-1]).read_text())
            assert parent, f"{' -> '.join(chain)} reaches no layout, so its forms would have no double-submit guard"
            chain.append(parent.group(1))


def test_staff_pages_portal_pages_and_error_pages_load_it(client):
    tag = f'<script src="/static/{SCRIPT}" defer></script>'
    pages = {"/login": "base.html", "/portal/not-a-real-link": "portal/base.html", "/no-such-page": "base.html"}
    for url, layout in pages.items():
        body = client.get(url).get_data(as_text=True)
        assert ('<body class="portal">' in body) == (layout == "portal/base.html"), url
        assert tag in body, url


def test_the_script_is_served_and_allowed_by_the_csp(client):
    with client.get(f"/static/{SCRIPT}") as response:
        assert response.status_code == 200
        assert response.mimetype in ("text/javascript", "application/javascript")
    assert "script-src 'self'" in CSP  # a same-origin file: allowed; inline script would not be
