"""Gear's part of a person's data: their items, defaults per sport and the gear of each activity."""

from __future__ import annotations

from athlos.core import data_rights
from athlos.gear.models import GearAssignment, GearDefault, GearItem

# In the order they are erased: what points at an item goes before it.
data_rights.register_owned_tables("gear", (GearAssignment, GearDefault, GearItem))
