"""The pilot's whole journey in Chromium against ``athlos serve``, on a phone and in Russian, as a person
lives it: sign up and confirm the address from the real mail; say where one trains and agree to offers;
upload a run from a GPX file; the points and the first badge arrive in the inbox; join the regional
challenge of one's region and see the run counted; a promotion for one's worn shoe on the dashboard with
its reason; its shop link through the click tracker (the shop answered by Playwright routing), the shop's
signed webhook confirming the purchase, the new shoe offered as gear and added; the loyalty points the
activity earned; a friend following the person sees the run in the feed and gives kudos, which the person
sees. Screenshots under ``artifacts/<test name>/``."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from playwright.async_api import Browser, Page, Route, ViewportSize, expect
from sqlalchemy import func, select

from athlos.accounts.models import User
from athlos.accounts.staff.service import grant_area
from athlos.commerce.promotions import service as promotions
from athlos.commerce.promotions.schemas import PromotionIn
from athlos.commerce.shop.models import GearOffer
from athlos.core.db import Database
from athlos.core.events.embedded import EmbeddedBus
from athlos.gamification.challenges import service as challenges
from athlos.gamification.challenges.schemas import ChallengeIn
from athlos.gear import service as gear
from athlos.gear.schemas import GearIn
from tests.accounts.conftest import Inbox, smtp
from tests.accounts.factories import DEFAULT_PASSWORD, TEST_ARGON2, make_user, set_language
from tests.analytics.conftest import new_person, run_gpx
from tests.browser import BROWSER_TESTS, Screenshots
from tests.commerce.helpers import SECRET, deliver, import_feed, purchase
from tests.commerce.test_journey_browser import catalogue_sold_at, fits_the_phone
from tests.gamification.challenges.conftest import today
from tests.gamification.helpers import earlier_today
from tests.processes import free_port
from tests.waiting import wait_until

pytestmark = BROWSER_TESTS

__all__ = ["smtp"]  # the SMTP server the live server mails through

PASSWORD = "длинная и необычная парольная фраза"
LINK = re.compile(r"https?://\S+/verify-email\?token=\S+")
RUN = "Пробежка по набережной"
PHONE: ViewportSize = {"width": 390, "height": 844}


@pytest.fixture
def live_server_env(smtp: Inbox) -> dict[str, str]:
    """``live_server`` mails through this test's SMTP server and knows the shop's webhook secret."""
    return {
        "ATHLOS_SMTP_HOST": "127.0.0.1",
        "ATHLOS_SMTP_PORT": str(smtp.port),
        "ATHLOS_SMTP_TLS": "none",
        "ATHLOS_OUTBOX_POLL_SECONDS": "0.05",
        "ATHLOS_SHOP_WEBHOOK_SECRET": SECRET,
        **{f"ATHLOS_{name.upper()}": str(value) for name, value in TEST_ARGON2.items()},
    }


async def sign_in_ru(page: Page, base_url: str, email: str, password: str) -> None:
    await page.goto(base_url + "/signin")
    await page.get_by_label("Эл. почта").fill(email)
    await page.get_by_label("Пароль").fill(password)
    await page.locator("main").get_by_role("button", name="Войти").click()
    await page.wait_for_url(base_url + "/")


async def reload_until(page: Page, text: str) -> None:
    """What the event bus fans out shows on a later load of the page: reload until it does."""

    async def shown() -> int:
        await page.reload()
        return await page.get_by_text(text).count()

    await wait_until(shown, timeout=30, what=f"{text!r} on {page.url}")


async def test_the_pilot_journey_on_a_phone_in_russian(
    browser: Browser,
    live_server: str,
    db: Database,
    bus: EmbeddedBus,
    smtp: Inbox,
    screenshots: Screenshots,
    tmp_path: Path,
) -> None:
    # Staff set a challenge for the region and a promotion for worn shoes; the shop sells the catalogue.
    shop = f"http://localhost:{free_port()}"
    await import_feed(db, catalogue_sold_at(shop), "products.json")
    staff_id = await new_person(db, bus)
    async with db.unit_of_work() as session:
        await grant_area(session, staff_id, "challenges")
        await grant_area(session, staff_id, "promotions")
        challenge = await challenges.create_challenge(
            session,
            staff_id,
            True,
            ChallengeIn(
                title="Московские 50 километров",
                metric="distance",
                sport="run",
                target=50_000,
                start_date=today() - timedelta(days=1),
                end_date=today() + timedelta(days=20),
                audience="region",
                country="RU",
                region="RU-MOW",
            ),
            today(),
        )
        await promotions.create_promotion(
            session,
            staff_id,
            PromotionIn(
                slug="glide-3-worn",
                title_en="Your next Glide, 20 % off",
                title_ru="Ваш следующий Glide со скидкой 20 %",
                product_id="kestrel-glide-3",
                countries=["RU"],
                gear_kind="shoes",
                starts_on=today() - timedelta(days=1),
                ends_on=today() + timedelta(days=30),
            ),
        )
        challenge_id = challenge.id

    context = await browser.new_context(locale="ru-RU", viewport=PHONE, service_workers="block")
    at_the_shop: list[str] = []

    async def the_shop(route: Route) -> None:
        at_the_shop.append(route.request.url)
        await route.fulfill(
            content_type="text/html; charset=utf-8",
            body="<!doctype html><html lang='ru'><title>Kestrel</title><h1>Магазин Kestrel</h1>",
        )

    await context.route(f"{shop}/**", the_shop)
    page = await context.new_page()

    # 1. Sign up, and confirm the address with the link of the mail that arrives.
    email = f"nadia-{uuid.uuid4().hex[:6]}@example.org"
    await page.goto(live_server + "/signup")
    await expect(page.locator("html")).to_have_attribute("lang", "ru")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Создайте аккаунт")
    await page.get_by_label("Имя, которое видят другие").fill("Надя")
    await page.get_by_label("Эл. почта").fill(email)
    await page.get_by_label("Пароль").fill(PASSWORD)
    await screenshots.take(page, "signup")
    await page.locator("main").get_by_role("button", name="Регистрация").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Проверьте почту")
    await screenshots.take(page, "signup-sent")

    async def mails() -> list[str]:
        return [smtp.text(message) for message in smtp.to(email)]

    [mail] = await wait_until(mails, what="the verification mail")
    link = LINK.search(mail)
    assert link is not None, mail
    await page.goto(link.group(0))
    await expect(page.get_by_role("heading", level=1)).to_have_text("Ваш адрес эл. почты подтверждён")
    await screenshots.take(page, "verified")
    await sign_in_ru(page, live_server, email, PASSWORD)
    async with db.sessionmaker() as session:
        me = await session.scalar(select(User.id).where(User.email == email))
    assert me is not None

    # 2. Where one trains (for the regional challenge) and consent to offers; a run uploaded from GPX.
    await page.goto(live_server + "/settings/profile")
    await page.get_by_label("Страна").select_option("RU")
    await page.get_by_label("Регион").fill("RU-MOW")
    await screenshots.take(page, "profile")
    await page.get_by_role("button", name="Сохранить профиль").click()
    await expect(page.get_by_text("Профиль сохранён.")).to_be_visible()
    await page.goto(live_server + "/settings/privacy")
    await page.get_by_label("Присылать новости и предложения").check()
    await page.get_by_role("button", name="Сохранить настройки приватности").click()
    await expect(page.get_by_text("Настройки приватности сохранены.")).to_be_visible()
    await expect(page.get_by_label("Присылать новости и предложения")).to_be_checked()
    await screenshots.take(page, "privacy")
    # The shoe one runs in, from the catalogue, 560 km of its 700 km behind it already.
    async with db.unit_of_work() as session:
        await gear.create_gear(
            session,
            me,
            GearIn(
                kind="shoes",
                brand="Kestrel",
                model="Glide 2",
                product_id="kestrel-glide-2",
                starting_distance_m=560_000,
                default_for=["run"],
            ),
        )
    track = tmp_path / "morning.gpx"
    gpx = run_gpx(earlier_today(), 3.0, 6_000, lat0=55.75, lon0=37.62)
    track.write_bytes(gpx.replace(b"<name>Morning run</name>", f"<name>{RUN}</name>".encode()))
    await page.goto(live_server + "/upload")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Загрузка тренировок")
    await page.get_by_label("Файлы").set_input_files(track)
    await page.get_by_label("Вид спорта").select_option("run")
    await page.get_by_role("button", name="Загрузить", exact=True).click()
    upload = page.locator("#uploads > li.upload")
    await expect(upload).to_have_attribute("data-status", "done", timeout=30_000)
    await screenshots.take(page, "uploaded")
    await fits_the_phone(page)

    # 3. The points and the first badge arrive, told in the inbox.
    await page.goto(live_server + "/notifications")
    await reload_until(page, "Вы получили значок «Первый шаг»")
    await expect(page.get_by_text(re.compile(r"^Начислено бонусных баллов: \d+$"))).to_be_visible()
    await screenshots.take(page, "inbox-badge")
    await fits_the_phone(page)
    await page.goto(live_server + "/badges")
    # A run in the Moscow evening or early morning also earns a time-of-day badge: only this one is asserted.
    await expect(page.locator(".badge:not(.locked)").filter(has_text="Первый шаг")).to_have_count(1)
    await screenshots.take(page, "badges")
    await page.goto(live_server + "/levels")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Очки и уровни")
    await expect(page.locator(".points-history li").first).to_contain_text("+")
    await screenshots.take(page, "points")

    # 4. The challenge of one's region, joined: the run already counts.
    await page.goto(live_server + "/challenges")
    offered = page.locator(f'[data-challenge="{challenge_id}"]')
    await expect(offered).to_contain_text("Московские 50 километров")
    await screenshots.take(page, "challenges")
    await offered.get_by_role("button", name="Вступить").click()
    await expect(
        page.get_by_text("Вы участвуете в челлендже. Засчитываются ваши тренировки в его дни.")
    ).to_be_visible()
    await expect(page.locator("[data-progress]")).to_have_text("6,0 км")
    await screenshots.take(page, "challenge-joined")
    await fits_the_phone(page)

    # 5. The promotion for the worn shoe on the dashboard, with its reason.
    await page.goto(live_server + "/")
    card = page.locator(".promotion-card")
    await expect(page.locator(".for-you-card")).to_contain_text("Популярно в Athlos")
    await expect(card).to_contain_text("Предложение для вас")
    await expect(card).to_contain_text("Ваш следующий Glide со скидкой 20 %")
    await expect(card).to_contain_text("Потому что у вашего снаряжения Kestrel Glide 2 уже 566 км.")
    await card.scroll_into_view_if_needed()
    await screenshots.take(page, "promotion-card")
    await fits_the_phone(page)

    # 6. Its shop link through the click tracker; the shop confirms the purchase with its webhook.
    await card.get_by_role("link", name="Посмотреть предложение").click()
    await screenshots.take(page, "promotion")
    await page.get_by_role("link", name="В магазин").click()
    await expect(page.get_by_role("heading", name="Магазин Kestrel")).to_be_visible()
    await screenshots.take(page, "at-the-shop")
    [arrived] = at_the_shop
    attribution = {name: values[0] for name, values in parse_qs(urlsplit(arrived).query).items()}
    order = purchase(attribution["athlos_click"], order_id="KS-PILOT-1", product_id="kestrel-glide-3")
    async with httpx.AsyncClient(base_url=live_server) as athlos:
        confirmed = await deliver(athlos, order)
        assert confirmed.status_code == 201, confirmed.text

    async def offers() -> int:
        async with db.sessionmaker() as session:
            return await session.scalar(select(func.count()).where(GearOffer.user_id == me)) or 0

    await wait_until(offers, what="the server's event bus to offer the purchase as gear")
    await page.goto(live_server + "/")
    offer = page.locator(".offers-card")
    await expect(offer).to_contain_text("в магазине.")
    await offer.scroll_into_view_if_needed()
    await screenshots.take(page, "offer-on-dashboard")
    await offer.get_by_role("button", name=re.compile(r"^Добавить .+ в снаряжение$")).click()
    await page.wait_for_url(live_server + "/gear")
    await expect(
        page.get_by_text("Добавлено в снаряжение. Athlos будет считать пробег со следующей тренировки.")
    ).to_be_visible()
    await expect(page.locator(".gear-item")).to_have_count(2)
    await screenshots.take(page, "gear-with-the-new-shoe")
    await fits_the_phone(page)
    # Loyalty points come from the points activities earn; a purchase credits none.
    await page.goto(live_server + "/loyalty")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Бонусные баллы")
    credit = page.locator(".points-history li").first
    await expect(credit).to_contain_text("Баллы за тренировку")
    await expect(credit.locator(".gain")).to_have_text(re.compile(r"^\+\d+$"))
    await screenshots.take(page, "loyalty")

    # 7. A friend follows, sees the run in the feed and gives kudos; the person sees them.
    friend = await make_user(db, email=f"boris-{uuid.uuid4().hex[:6]}@example.org", display_name="Борис")
    await set_language(db, friend.id, "ru")  # as signing up in Russian would have set it
    theirs = await browser.new_context(locale="ru-RU", viewport=PHONE, service_workers="block")
    other = await theirs.new_page()
    await sign_in_ru(other, live_server, friend.email, DEFAULT_PASSWORD)
    await other.goto(f"{live_server}/people/{me}")
    await other.locator("main").get_by_role("button", name="Подписаться", exact=True).click()
    await expect(other.get_by_role("button", name="Отписаться")).to_be_visible()
    await screenshots.take(other, "friend-follows")
    await other.goto(live_server + "/feed")
    await reload_until(other, RUN)
    run = other.locator(".feed-item", has_text=RUN)
    await expect(run).to_contain_text("Надя")
    await screenshots.take(other, "friend-feed")
    await run.get_by_role("button", name="Кудос").click()
    await expect(run.get_by_role("button", name="Кудос")).to_have_attribute("aria-pressed", "true")
    await expect(run.locator(".kudos-count")).to_have_text("1")
    await screenshots.take(other, "friend-kudos")
    await page.goto(live_server + "/notifications")
    await reload_until(page, "Борис оценил(а) вашу тренировку")
    await screenshots.take(page, "inbox-kudos")
    await fits_the_phone(page)
    await page.get_by_text("Борис оценил(а) вашу тренировку").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(RUN)
    await expect(page.locator(".givers")).to_contain_text("Борис")
    await screenshots.take(page, "activity-with-kudos")
    await theirs.close()
    await context.close()
