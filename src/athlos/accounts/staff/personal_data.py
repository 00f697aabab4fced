"""The staff areas a person holds are theirs: exported, and erased with the account."""

from __future__ import annotations

from athlos.accounts.staff.models import StaffArea
from athlos.core import data_rights

data_rights.register_owned_tables("staff", (StaffArea,))
