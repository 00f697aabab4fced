"""Uploads: a received file (or a ZIP or an export archive of them) imported into activities in the
background."""
