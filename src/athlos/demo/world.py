"""Who lives in the demo world and where: cities in ten countries, names, languages and time zones."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Final

DEMO_DOMAIN: Final = "athlos.example"
DEMO_EMAIL: Final = f"demo@{DEMO_DOMAIN}"
DEMO_PASSWORD: Final = "athlos-demo-2026"  # noqa: S105 - public on purpose: the README names it
DEMO_NAME: Final = "Dana Demo"


@dataclass(frozen=True)
class City:
    name: str
    country: str
    region: str
    time_zone: str
    language: str
    lat: float
    lon: float
    altitude: float


CITIES: Final = (
    City("Berlin", "DE", "DE-BE", "Europe/Berlin", "de", 52.5163, 13.3777, 38),
    City("Munich", "DE", "DE-BY", "Europe/Berlin", "de", 48.1374, 11.5755, 519),
    City("Vienna", "AT", "AT-9", "Europe/Vienna", "de", 48.2082, 16.3738, 190),
    City("Zurich", "CH", "CH-ZH", "Europe/Zurich", "de", 47.3769, 8.5417, 408),
    City("Moscow", "RU", "RU-MOW", "Europe/Moscow", "ru", 55.7558, 37.6173, 150),
    City("Saint Petersburg", "RU", "RU-SPE", "Europe/Moscow", "ru", 59.9343, 30.3351, 5),
    City("Almaty", "KZ", "KZ-75", "Asia/Almaty", "ru", 43.2389, 76.8897, 800),
    City("London", "GB", "GB-LND", "Europe/London", "en", 51.5072, -0.1276, 20),
    City("Amsterdam", "NL", "NL-NH", "Europe/Amsterdam", "en", 52.3676, 4.9041, 2),
    City("Madrid", "ES", "ES-MD", "Europe/Madrid", "en", 40.4168, -3.7038, 657),
    City("Warsaw", "PL", "PL-14", "Europe/Warsaw", "en", 52.2297, 21.0122, 100),
    City("Dublin", "IE", "IE-D", "Europe/Dublin", "en", 53.3498, -6.2603, 15),
)

FIRST_NAMES: Final = {
    "de": (
        ("Lena", "Mia", "Hannah", "Sophie", "Emma", "Marie"),
        ("Jonas", "Felix", "Lukas", "Paul", "Leon", "Finn"),
    ),
    "ru": (
        ("Anna", "Olga", "Maria", "Elena", "Irina", "Nina"),
        ("Dmitry", "Ivan", "Sergey", "Alexei", "Pavel", "Oleg"),
    ),
    "en": (
        ("Emily", "Olivia", "Chloe", "Grace", "Ella", "Lucy"),
        ("James", "Daniel", "Tom", "Sam", "Jack", "Ben"),
    ),
}
LAST_NAMES: Final = {
    "de": (
        "Müller",
        "Schmidt",
        "Weber",
        "Fischer",
        "Wagner",
        "Becker",
        "Hoffmann",
        "Koch",
        "Richter",
        "Wolf",
    ),
    "ru": ("Ivanov", "Petrov", "Smirnov", "Kuznetsov", "Popov", "Volkov", "Sokolov", "Lebedev", "Orlov"),
    "en": ("Smith", "Jones", "Taylor", "Brown", "Walsh", "de Vries", "García", "Kowalski", "Murphy", "Evans"),
}


@dataclass
class Person:
    email: str
    name: str
    city: City
    sport: str
    birth_year: int
    sex: str
    language: str = ""
    user_id: object = None
    activity_ids: list[object] = field(default_factory=list)


def people(rng: random.Random, count: int) -> list[Person]:
    """The demo person in Berlin first, then ``count`` others spread over the cities."""
    found = [Person(DEMO_EMAIL, DEMO_NAME, CITIES[0], "run", 1990, "female", language="en")]
    for index in range(count):
        city = CITIES[index % len(CITIES)]
        sex = rng.choice(("female", "male"))
        first = rng.choice(FIRST_NAMES[city.language][sex == "male"])
        last = rng.choice(LAST_NAMES[city.language])
        if city.language == "ru" and sex == "female":
            last += "a"
        sport = rng.choices(("run", "ride", "walk", "hike"), weights=(6, 3, 1, 1))[0]
        found.append(
            Person(
                f"{first.lower()}.{index}@{DEMO_DOMAIN}",
                f"{first} {last}",
                city,
                sport,
                rng.randint(1962, 2004),
                sex,
            )
        )
    return found
