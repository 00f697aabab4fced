"""The web app shell: layout, static assets, PWA manifest and service worker."""

from athlos.web.shell import mount

__all__ = ["mount"]
