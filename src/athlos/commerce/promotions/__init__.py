"""Promotions: offers targeted by place, dates and audience, with single-use codes, shown with a reason."""
