"""Post forms the way a browser does: every input of the form, in page order, with its CSRF token."""
from __future__ import annotations

from html.parser import HTMLParser

from werkzeug.datastructures import MultiDict


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_value: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {"action": a.get("action", ""), "method": a.get("method", "get").lower(),
                          "id": a.get("id"), "fields": []}
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind in ("submit", "button", "file"):
                return
            self._form["fields"].append((a["name"], a.get("value", "y" if kind == "checkbox" else "")))
        elif tag == "select" and a.get("name"):
            self._select, self._select_first, self._select_value = a["name"], None, None
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in a:
                self._select_value = value
        elif tag == "textarea" and a.get("name"):
            self._textarea, self._text = a["name"], []

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None and self._form is not None:
            value = self._select_value if self._select_value is not None else (self._select_first or "")
            self._form["fields"].append((self._select, value))
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            self._form["fields"].append((self._textarea, "".join(self._text).lstrip("\n")))
            self._textarea = None


def parse_forms(html: str) -> list[dict]:
    """Every form of a page with its fields in page order."""
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


def form_data(html: str, overrides: dict | None = None, index: int | None = None) -> MultiDict:
    """The fields of the page's main form (the one with most fields, or `index`), with `overrides` applied."""
    forms = parse_forms(html)
    form = forms[index] if index is not None else max(forms, key=lambda f: len(f["fields"]))
    data = MultiDict()
    overrides = dict(overrides or {})
    for name, value in form["fields"]:
        data.add(name, overrides.pop(name) if name in overrides else value)
    for name, value in overrides.items():
        data.add(name, value)
    return data


def submit(client, url: str, overrides: dict | None = None, follow_redirects: bool = True, index: int | None = None):
    """GET `url`, fill its form like a browser would, POST it back to the form's action."""
    page = client.get(url)
    assert page.status_code == 200, f"GET {url} gave {page.status_code}"
    html = page.get_data(as_text=True)
    forms = parse_forms(html)
    form = forms[index] if index is not None else max(forms, key=lambda f: len(f["fields"]))
    action = form["action"] or url
    return client.post(action, data=form_data(html, overrides, index), follow_redirects=follow_redirects)


def login(client, username: str, password: str = "kinerja-demo", follow_redirects: bool = True):
    """Sign in through the real login form."""
    return submit(client, "/login", {"username": username, "password": password}, follow_redirects=follow_redirects)
