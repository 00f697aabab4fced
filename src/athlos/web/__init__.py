"""The web app shell: layout, languages, CSRF protection, error pages, PWA manifest and service worker.

Domains render their pages with ``render(request, "<domain>/page.html", {...})`` and put
``{{ csrf_input() }}`` in every form that posts.
"""

from athlos.web.csrf import verify_csrf
from athlos.web.i18n import gettext_for
from athlos.web.rendering import render
from athlos.web.shell import mount

__all__ = ["gettext_for", "mount", "render", "verify_csrf"]
