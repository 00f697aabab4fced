"""Offline reverse geocoding: the country and ISO 3166-2 region of a point, with no network.

The points are GeoNames' places of 1,000 people or more shipped by the ``reverse_geocode`` package
(nearest place wins, so a point near a border may land on the neighbour's side). GeoNames names the
first-level region in English ("Bavaria", "Sverdlovsk Oblast"); pycountry, which the profiles use,
names it in the local language ("Bayern", "Sverdlovskaya oblast'"), so names are matched after folding
accents and the generic words, then by a shared stem, then through a short list of known exonyms.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Final

import pycountry

# Generic words of region names that differ between the two sources.
_GENERIC: Final = re.compile(
    r"\b(state|of|the|land|oblast|oblast'|kray|krai|okrug|autonomous|avtonomnyy|avtonomnaya|respublika|"
    r"republic|province|provincia|region|regione|county|prefecture|voivodeship|wojewodztwo|canton|"
    r"departement|department|district|federal|city|capital|territory|governorate)\b"
)

# English exonyms of GeoNames whose pycountry names share no stem with them.
EXONYMS: Final[dict[str, str]] = {
    "DE:bavaria": "DE-BY",
    "DE:lower saxony": "DE-NI",
    "DE:north rhine-westphalia": "DE-NW",
    "DE:rhineland-palatinate": "DE-RP",
    "DE:hesse": "DE-HE",
    "DE:saxony": "DE-SN",
    "DE:saxony-anhalt": "DE-ST",
    "DE:thuringia": "DE-TH",
    "DE:mecklenburg-vorpommern": "DE-MV",
    "RU:moscow": "RU-MOW",
    "RU:st.-petersburg": "RU-SPE",
    "RU:saint petersburg": "RU-SPE",
    "AT:vienna": "AT-9",
    "AT:lower austria": "AT-3",
    "AT:upper austria": "AT-4",
    "AT:styria": "AT-6",
    "AT:carinthia": "AT-2",
    "AT:tyrol": "AT-7",
    "CH:zurich": "CH-ZH",
    "CH:geneva": "CH-GE",
    "IT:lombardy": "IT-25",
    "IT:latium": "IT-62",
    "IT:tuscany": "IT-52",
    "IT:piedmont": "IT-21",
    "IT:sicily": "IT-82",
    "IT:sardinia": "IT-88",
    "IT:apulia": "IT-75",
    "ES:catalonia": "ES-CT",
    "ES:andalusia": "ES-AN",
    "ES:madrid": "ES-MD",
    "ES:valencia": "ES-VC",
    "GB:england": "GB-ENG",
    "GB:scotland": "GB-SCT",
    "GB:wales": "GB-WLS",
    "GB:northern ireland": "GB-NIR",
}


@dataclass(frozen=True, slots=True)
class Place:
    country: str | None
    region: str | None


def fold(name: str) -> str:
    """Lower case, no accents, apostrophes or generic words, single spaces."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    plain = _GENERIC.sub(" ", plain.replace("'", " ").replace("’", " "))
    return " ".join(plain.replace("-", " ").replace(".", " ").split())


@functools.cache
def _subdivisions(country: str) -> dict[str, str]:
    """Folded name → code of the country's top-level subdivisions."""
    found: dict[str, str] = {}
    for item in pycountry.subdivisions.get(country_code=country) or []:
        if getattr(item, "parent_code", None):
            continue
        found.setdefault(fold(item.name), item.code)
    return found


def region_code(country: str, name: str | None) -> str | None:
    """The ISO 3166-2 code of the GeoNames region ``name`` of ``country``, or None when unsure."""
    if not name:
        return None
    exonym = EXONYMS.get(f"{country}:{name.lower()}")
    if exonym:
        return exonym
    names = _subdivisions(country)
    folded = fold(name)
    if not folded:
        return None
    if folded in names:
        return names[folded]
    # "sverdlovsk" ~ "sverdlovskaya": one subdivision sharing a stem of 5 letters or more.
    stem = folded[: max(5, len(folded) - 2)]
    shared = {code for key, code in names.items() if len(stem) >= 5 and key.startswith(stem)}
    if len(shared) == 1:
        return shared.pop()
    return None


@functools.cache
def _geocoder() -> Any:
    import reverse_geocode

    return reverse_geocode


def locate(lat: float | None, lon: float | None) -> Place:
    """The country and region (ISO codes) nearest the point; loads the data on first use (~1 s)."""
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return Place(None, None)
    found = _geocoder().get((lat, lon))
    country = found.get("country_code") or None
    if country is None:
        return Place(None, None)
    return Place(country, region_code(country, found.get("state")))
