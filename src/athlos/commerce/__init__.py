"""The brand's commerce: its product catalogue and the shop's links, purchases and the funnel."""
