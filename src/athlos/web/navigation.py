"""The app's navigation, grown by the capabilities that exist: each registers its own entries and header
widgets from its own package, so no shared list names pages that are not there.

A capability registers at import of its ``pages.py``::

    from athlos.web.navigation import N_, HeaderWidget, NavItem, register, register_widget

    register(NavItem("clubs", "/clubs", N_("Clubs"), order=300, icon="icons/nav.svg#clubs"))
    register_widget(HeaderWidget("bell", "notifications/_bell.html", styles=("bell.css",)))

Where an entry shows:

- ``primary=True`` entries form the main bar: the desktop header and, on a phone, the bottom tab bar.
  The tab bar has room for five (Home, Record, Activities, Progress and You hold them), so a new
  capability normally registers ``primary=False``.
- Every entry (primary or not) is listed on the "You" page (``/you``), the phone's menu of everything,
  grouped by ``section`` (``"main"``, ``"community"``, ``"account"``...) in the order of ``SECTIONS``.
- ``signed_in=True`` (the default) hides an entry from visitors; ``signed_in=False`` shows it to
  everyone, and ``guest_only=True`` only to visitors (Sign in).
- ``staff_area="catalog"`` shows an entry only to staff of that area (and admins).
- ``order`` sorts entries (lower first); ``active_prefix`` marks an entry current on its sub-pages
  (``/activities/…`` keeps Activities lit).

Labels are English texts marked with ``N_`` for the catalogs; templates translate them with ``_()``.
Header widgets are templates included in the header (a notification bell with its count), rendered
with the page's context; a widget's own data comes from its template (an htmx ``hx-get`` of the
capability's own fragment route), so rendering any page costs the widget nothing.

Registration happens once per process at import time, the same in every process.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

SECTIONS: Final = ("main", "community", "account")


def N_(message: str) -> str:
    """Marks a label for the catalogs; templates translate it."""
    return message


@dataclass(frozen=True, slots=True)
class NavItem:
    key: str
    href: str
    label: str
    order: int = 500
    icon: str | None = None
    primary: bool = False
    signed_in: bool = True
    guest_only: bool = False
    section: str = "main"
    active_prefix: str | None = None
    # Shown only to staff of this area (the signed-in user's ``works_in(area)`` decides).
    staff_area: str | None = None

    def visible_to(self, user: Any) -> bool:
        if user is None:
            return not self.signed_in
        if self.staff_area is not None and not user.works_in(self.staff_area):
            return False
        return not self.guest_only

    def is_current(self, path: str) -> bool:
        if path == self.href:
            return True
        prefix = self.active_prefix
        return prefix is not None and (path == prefix or path.startswith(prefix.rstrip("/") + "/"))


@dataclass(frozen=True, slots=True)
class HeaderWidget:
    """A template in the header, with the static stylesheets and scripts it needs on every page."""

    key: str
    template: str
    order: int = 500
    signed_in: bool = True
    styles: tuple[str, ...] = ()
    scripts: tuple[str, ...] = ()


_items: dict[str, NavItem] = {}
_widgets: dict[str, HeaderWidget] = {}


def register(item: NavItem) -> NavItem:
    """Add (or, by the same key, replace) an entry."""
    _items[item.key] = item
    return item


def register_widget(widget: HeaderWidget) -> HeaderWidget:
    _widgets[widget.key] = widget
    return widget


def entries(user: Any, *, primary: bool | None = None) -> list[NavItem]:
    """The entries ``user`` (None for a visitor) sees, in order; only the main bar's with
    ``primary=True``."""
    found = [
        item
        for item in _items.values()
        if item.visible_to(user) and (primary is None or item.primary == primary)
    ]
    return sorted(found, key=lambda item: (item.order, item.key))


def sections(user: Any) -> list[tuple[str, list[NavItem]]]:
    """Every entry ``user`` sees, grouped for the "You" page."""
    grouped: dict[str, list[NavItem]] = {}
    for item in entries(user):
        grouped.setdefault(item.section, []).append(item)
    known = [name for name in SECTIONS if name in grouped]
    others = sorted(name for name in grouped if name not in SECTIONS)
    return [(name, grouped[name]) for name in [*known, *others]]


def widgets(user: Any) -> list[HeaderWidget]:
    found = [widget for widget in _widgets.values() if user is not None or not widget.signed_in]
    return sorted(found, key=lambda widget: (widget.order, widget.key))


def item(key: str) -> NavItem | None:
    return _items.get(key)


def install(env: Any) -> None:
    """The navigation for templates: ``nav_entries(user, primary=True)``, ``nav_sections(user)``,
    ``header_widgets(user)``."""
    env.globals["nav_entries"] = entries
    env.globals["nav_sections"] = sections
    env.globals["header_widgets"] = widgets
