"""What recommendations keep about a person: the products they looked at and their stored list.
Trainings are about no one."""

from __future__ import annotations

from athlos.commerce.recommend.models import ProductView, Recommendation
from athlos.core import data_rights

data_rights.register_owned_tables("recommendations", (ProductView, Recommendation))
