"""News: brand and local sports news by staff, targeted by place and language, on /news and in feeds."""
