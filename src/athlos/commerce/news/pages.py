"""News pages: ``/news`` (what is published for the reader) and ``/news/<id>`` (one article); staff's
``/staff/news`` (every article, published or not), ``/staff/news/new`` and ``/staff/news/<id>`` (write
and edit) with publish and unpublish. To anyone but staff the staff pages do not exist (404)."""

from __future__ import annotations

import uuid
from typing import Any, Final
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.accounts.deps import CurrentUser, page_user, sign_in_first
from athlos.accounts.profiles.service import get_profile
from athlos.commerce.news import service
from athlos.commerce.news.errors import NewsNotFound
from athlos.commerce.news.models import NewsArticle
from athlos.commerce.news.schemas import NewsIn, NewsPatch
from athlos.commerce.page_errors import not_found as commerce_not_found
from athlos.core.deps import SessionDep
from athlos.core.errors import AppError
from athlos.web import render
from athlos.web.flash import flash_redirect, register_flash
from athlos.web.forms import N_, FormState, Refusal, read_form, refused, register_messages, render_form
from athlos.web.i18n import request_locale
from athlos.web.navigation import NavItem, register

router = APIRouter(include_in_schema=False)

PAGE: Final = "/news"
STAFF_PAGE: Final = "/staff/news"
PAGE_SIZE: Final = 20
FIELDS: Final = ("title", "summary", "body", "kind", "countries", "regions", "languages")

register(NavItem("news", PAGE, N_("News"), order=360, section="community"))
register(
    NavItem("staff-news", STAFF_PAGE, N_("News desk"), order=915, section="community", staff_area="news")
)
register_flash("news_saved", N_("The article is saved."))
register_flash("news_published", N_("The article is published."))
register_flash("news_unpublished", N_("The article is no longer published."))
register_messages(
    {
        "news_unknown_place": Refusal(N_("Use ISO codes such as DE, or DE-BY for a region.")),
        "news_blank": Refusal(N_("Please fill this in.")),
    }
)


def not_found(request: Request) -> HTMLResponse:
    return commerce_not_found(request, back="news")


async def _when(request: Request, session: AsyncSession, user: CurrentUser) -> Any:
    zone = ZoneInfo((await get_profile(session, user.id)).time_zone or "UTC")
    locale = request_locale(request)
    return lambda at: format_datetime(at, "medium", tzinfo=zone, locale=locale) if at else ""


def _shown(article: NewsArticle, when: Any) -> dict[str, Any]:
    return {
        "id": article.id,
        "title": article.title,
        "summary": service.summary_of(article),
        "paragraphs": service.paragraphs(article.body),
        "kind": article.kind,
        "published": article.published_at is not None,
        "when": when(article.published_at),
        "places": [*article.countries, *article.regions],
        "languages": article.languages,
    }


@router.get(PAGE, response_class=HTMLResponse)
async def news_page(request: Request, session: SessionDep, cursor: str = "") -> Response:
    user = await page_user(request, session)
    if user is None:
        return sign_in_first(PAGE)
    try:
        found, next_cursor = await service.news_page(session, user.id, cursor[:500] or None, PAGE_SIZE)
    except AppError:
        return RedirectResponse(PAGE, status_code=303)  # a spoilt cursor: start from the newest
    when = await _when(request, session, user)
    context = {
        "articles": [_shown(a, when) for a in found],
        "next_cursor": next_cursor,
        "first_page": not cursor,
        "may_write": service.may_write(user),
    }
    return render(request, "commerce/news.html", context)


@router.get(PAGE + "/{article_id}", response_class=HTMLResponse)
async def article_page(request: Request, session: SessionDep, article_id: str) -> Response:
    user = await page_user(request, session)
    if user is None:
        return sign_in_first(f"{PAGE}/{article_id}")
    try:
        article = await service.readable(session, user, uuid.UUID(article_id))
    except (ValueError, NewsNotFound):
        return not_found(request)
    when = await _when(request, session, user)
    context = {"article": _shown(article, when), "may_write": service.may_write(user)}
    return render(request, "commerce/news_article.html", context)


# --- staff ------------------------------------------------------------------------------------------


async def _writer(
    request: Request, session: AsyncSession, path: str
) -> tuple[CurrentUser | None, Response | None]:
    user = await page_user(request, session)
    if user is None:
        return None, sign_in_first(path)
    if not service.may_write(user):
        return user, not_found(request)
    return user, None


@router.get(STAFF_PAGE, response_class=HTMLResponse)
async def staff_news(request: Request, session: SessionDep) -> Response:
    user, refusal = await _writer(request, session, STAFF_PAGE)
    if refusal is not None or user is None:
        return refusal or not_found(request)
    when = await _when(request, session, user)
    articles = [_shown(a, when) for a in await service.all_articles(session)]
    return render(request, "commerce/staff_news.html", {"articles": articles})


def _values(article: NewsArticle) -> dict[str, Any]:
    return {
        "title": article.title,
        "summary": article.summary,
        "body": article.body,
        "kind": article.kind,
        "countries": ", ".join(article.countries),
        "regions": ", ".join(article.regions),
        "languages": list(article.languages),
    }


def _body(values: dict[str, Any]) -> dict[str, Any]:
    """The form's fields as the API's body: places typed as a list separated by commas or spaces."""
    body = {name: values.get(name, "") for name in FIELDS}
    for name in ("countries", "regions"):
        body[name] = str(body[name]).replace(",", " ").split()
    body["languages"] = [lang for lang in values.get("languages", []) if lang]
    if not body["kind"]:
        body.pop("kind")  # the form always sends one; without it, the article's own or the default
    return body


def _edit_page(
    request: Request, article_id: uuid.UUID | None, form: FormState, **context: Any
) -> HTMLResponse:
    return render_form(
        request,
        "commerce/staff_news_edit.html",
        {"article_id": article_id, **context},
        form,
    )


@router.get(STAFF_PAGE + "/new", response_class=HTMLResponse)
async def new_article(request: Request, session: SessionDep) -> Response:
    _, refusal = await _writer(request, session, STAFF_PAGE + "/new")
    if refusal is not None:
        return refusal
    form = FormState(values={"kind": "brand"}, status=200)
    return _edit_page(request, None, form)


@router.post(STAFF_PAGE + "/new", response_class=HTMLResponse)
async def write_article(request: Request, session: SessionDep) -> Response:
    user, refusal = await _writer(request, session, STAFF_PAGE + "/new")
    if refusal is not None or user is None:
        return refusal or not_found(request)
    values = await read_form(request, lists=("languages",))
    try:
        article = await service.write(session, user.id, NewsIn.model_validate(_body(values)))
    except (ValidationError, AppError) as exc:
        return _edit_page(request, None, refused(exc, values, fields=FIELDS))
    return flash_redirect(f"{STAFF_PAGE}/{article.id}", "news_saved")


async def _article_or_none(session: AsyncSession, article_id: str) -> NewsArticle | None:
    try:
        return await service.get_article(session, uuid.UUID(article_id))
    except (ValueError, NewsNotFound):
        return None


@router.get(STAFF_PAGE + "/{article_id}", response_class=HTMLResponse)
async def edit_article(request: Request, session: SessionDep, article_id: str) -> Response:
    _, refusal = await _writer(request, session, f"{STAFF_PAGE}/{article_id}")
    if refusal is not None:
        return refusal
    article = await _article_or_none(session, article_id)
    if article is None:
        return not_found(request)
    form = FormState(values=_values(article), status=200)
    return _edit_page(request, article.id, form, published=article.published_at is not None)


@router.post(STAFF_PAGE + "/{article_id}", response_class=HTMLResponse)
async def save_article(request: Request, session: SessionDep, article_id: str) -> Response:
    _, refusal = await _writer(request, session, f"{STAFF_PAGE}/{article_id}")
    if refusal is not None:
        return refusal
    article = await _article_or_none(session, article_id)
    if article is None:
        return not_found(request)
    values = await read_form(request, lists=("languages",))
    try:
        await service.edit(session, article.id, NewsPatch.model_validate(_body(values)))
    except (ValidationError, AppError) as exc:
        form = refused(exc, values, fields=FIELDS)
        return _edit_page(request, article.id, form, published=article.published_at is not None)
    return flash_redirect(f"{STAFF_PAGE}/{article.id}", "news_saved")


@router.post(STAFF_PAGE + "/{article_id}/{action}", response_class=HTMLResponse)
async def publish_article(request: Request, session: SessionDep, article_id: str, action: str) -> Response:
    _, refusal = await _writer(request, session, STAFF_PAGE)
    if refusal is not None:
        return refusal
    article = await _article_or_none(session, article_id)
    if article is None or action not in ("publish", "unpublish"):
        return not_found(request)
    await service.publish(session, article.id, action == "publish")
    return flash_redirect(STAFF_PAGE, "news_published" if action == "publish" else "news_unpublished")
