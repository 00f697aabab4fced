"""``python -m athlos.web.messages``: find the texts to translate and add the new ones to each language.

Texts are extracted as Babel's ``babel.cfg`` says into ``translations/messages.pot``; a text that no
catalog of a language has yet is appended, untranslated, to that language's ``messages.po`` (the
capability catalogs ``<part>.po`` are edited by hand and never rewritten).
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

from athlos.web import i18n

ROOT = Path(__file__).resolve().parents[3]


def extract() -> Catalog:
    template = Catalog(domain=i18n.DOMAIN)
    with (ROOT / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    for _filename, _lineno, message, _comments, context in extract_from_dir(
        str(ROOT), method_map, options_map
    ):
        template.add(message, context=context)
    return template


def update() -> dict[str, int]:
    template = extract()
    with (i18n.TRANSLATIONS_DIR / f"{i18n.DOMAIN}.pot").open("wb") as out:
        write_po(out, template, width=110, omit_header=True, sort_output=True)
    added: dict[str, int] = {}
    for locale in i18n.LANGUAGES:
        if locale == i18n.DEFAULT_LOCALE:
            continue
        known = i18n.catalog(locale)
        path = i18n.catalog_path(locale)
        with path.open("rb") as source:
            shell = read_po(source, locale=locale, domain=i18n.DOMAIN)
        new = [
            message
            for message in template
            if message.id and message.id not in known and message.id not in shell
        ]
        for message in new:
            shell.add(message.id, context=message.context)
        with path.open("wb") as out:
            write_po(out, shell, width=110, sort_output=True)
        added[locale] = len(new)
    return added


if __name__ == "__main__":
    for locale, count in update().items():
        print(f"{locale}: {count} new texts to translate in {i18n.catalog_path(locale)}")
