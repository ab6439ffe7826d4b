"""The console in a real browser (Debian's chromium, headless) against the served app.

The app runs on a loopback port on real Redis and PostgreSQL; comments are posted through the
API and decided by the engine as a worker would. Screenshots of the queue and of a card are
kept in the test's folder (or in CONSOLE_SCREENSHOTS, to refresh docs/console.png).
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

from moderation.app import create_app
from moderation.domain.moderate import moderate_batch
from moderation.services import build_services
from moderation.store.console import issue_login_link
from moderation.store.models import Comment
from tests.conftest import make_settings
from tests.helpers import auth, comment_json, make_moderator, make_site

playwright_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium")
#: Milliseconds any one step may take before the test fails rather than hangs.
STEP_MS = 10_000


class Console:
    """The served app, its services, two sites' keys, and a browser page."""

    def __init__(self, services: Any, base: str, page: Any, keys: dict[str, str]) -> None:
        self.services = services
        self.base = base
        self.page = page
        self.keys = keys
        self.api = create_app(services=services).test_client()

    def post(self, site: str, external_id: str, body: str, **extra: Any) -> str:
        """Post a comment as the site does and decide it as a worker would; its id."""
        answer = self.api.post(
            "/v1/comments",
            json=comment_json(external_id, body, **extra),
            headers=auth(self.keys[site]),
        )
        assert answer.status_code == 202, answer.get_json()
        comment_id: str = answer.get_json()["id"]
        moderate_batch(self.services, [comment_id], decided_by="test-worker")
        return comment_id

    def status(self, site: str, comment_id: str) -> str:
        """The comment's status as the site reads it from the API."""
        answer = self.api.get(f"/v1/comments/{comment_id}", headers=auth(self.keys[site]))
        return str(answer.get_json()["status"])

    def sign_in(self, name: str = "lois") -> None:
        """Follow a fresh one-time link and press its button."""
        with self.services.db.session() as session:
            secret = issue_login_link(session, name, now=datetime.now(UTC))
        self.page.goto(f"{self.base}/console/link/{secret}")
        self.page.get_by_role("button", name="Sign in to the console").click()
        self.page.wait_for_url(f"{self.base}/console/")


@pytest.fixture
def console(postgres_url: str, redis_url: str) -> Iterator[Console]:
    """The app served on a free loopback port, two sites, their moderators, a browser page."""
    settings = make_settings(postgres_url, redis_url)
    services = build_services(settings)
    services.db.upgrade()
    keys = {"planet": make_site(services, "planet"), "gazette": make_site(services, "gazette")}
    make_moderator(services, "lois", "planet")
    make_moderator(services, "cat", "gazette")
    server = make_server("127.0.0.1", 0, create_app(services=services), threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with playwright_api.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, headless=True)
        page = browser.new_context(viewport={"width": 1280, "height": 860}).new_page()
        page.set_default_timeout(STEP_MS)
        try:
            yield Console(services, f"http://127.0.0.1:{server.server_port}", page, keys)
        finally:
            browser.close()
            server.shutdown()
            services.close()


def _shot(page: Any, tmp_path: Path, name: str) -> Path:
    folder = Path(os.environ.get("CONSOLE_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    page.screenshot(path=str(path), full_page=False)
    return path


def test_sign_in_by_link_then_approve_reject_and_bulk_approve_by_keyboard(console, tmp_path):
    expect = playwright_api.expect
    ids = [
        console.post("planet", f"c{n}", f"Comment {n}: you absolute fucking idiot.")
        for n in range(6)
    ]
    console.post("planet", "fine", "A thoughtful piece on the budget.")
    page = console.page
    console.sign_in()

    expect(page.locator("#held-total")).to_have_text("6")
    card = page.locator("#card .card")
    expect(card).to_have_attribute("data-id", ids[0])
    expect(card.locator(".body mark", has_text="fucking")).to_be_visible()
    assert _shot(page, tmp_path, "console-queue.png").stat().st_size > 0
    page.evaluate("window.samePage = true")  # gone if anything loads a whole page

    page.keyboard.press("a")
    expect(page.locator("#held-total")).to_have_text("5")
    expect(card).to_have_attribute("data-id", ids[1])
    assert console.status("planet", ids[0]) == "approved"

    page.keyboard.press("r")
    page.locator('#card form[data-action="reject"] select').select_option("harassment")
    page.locator('#card form[data-action="reject"] input[name="note"]').fill("Be civil.")
    page.keyboard.press("Enter")
    expect(page.locator("#held-total")).to_have_text("4")
    expect(card).to_have_attribute("data-id", ids[2])
    assert console.status("planet", ids[1]) == "rejected"

    for _ in range(3):
        page.keyboard.press("x")
        page.keyboard.press("j")
    expect(page.locator("#selected-count")).to_have_text("3")
    page.get_by_role("button", name="Approve selected").click()
    expect(page.locator("#held-total")).to_have_text("1")
    assert [console.status("planet", i) for i in ids[2:5]] == ["approved"] * 3
    assert page.evaluate("window.samePage") is True

    page.keyboard.press("?")
    expect(page.locator("#help")).to_be_visible()
    page.keyboard.press("Escape")
    _shot(page, tmp_path, "console-card.png")
    page.goto(f"{console.base}/console/comments/{ids[5]}")
    expect(page.locator(".card .body mark", has_text="fucking")).to_be_visible()
    _shot(page, tmp_path, "console-comment.png")

    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    page.goto(f"{console.base}/console/")
    expect(page.locator("#card .card .body mark")).to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    _shot(page, tmp_path, "console-phone.png")

    page.goto(f"{console.base}/console/comments/{ids[5]}")
    page.keyboard.press("a")
    expect(page.locator(".card .status")).to_have_text("approved")
    assert console.status("planet", ids[5]) == "approved"


def test_author_orders_hold_or_reject_their_next_comment(console):
    expect = playwright_api.expect
    first = console.post("planet", "p1", "You absolute fucking idiot.", author={"id": "troll"})
    page = console.page
    console.sign_in()
    expect(page.locator("#card .card")).to_have_attribute("data-id", first)

    page.get_by_role("button", name="Pre-moderate").click()
    expect(page.locator("#card .author-record h3")).to_contain_text("pre-moderated")
    held = console.post("planet", "p2", "A perfectly polite remark.", author={"id": "troll"})
    assert console.status("planet", held) == "held"

    page.goto(f"{console.base}/console/comments/{held}")
    page.get_by_role("button", name="Ban").click()
    expect(page.locator(".author-record h3")).to_contain_text("banned")
    banned = console.post("planet", "p3", "Another polite remark.", author={"id": "troll"})
    assert console.status("planet", banned) == "rejected"


XSS = [
    "<script>window.pwned = 'script'</script>",
    "<img src=x onerror=\"window.pwned = 'img'\">",
    "<svg onload=\"window.pwned = 'svg'\"><circle r=1></svg>",
    "\"><script>window.pwned = 'attr'</script><b x=\"",
    "<a href=\"javascript:window.pwned = 'href'\">click me</a>",
    "</blockquote></mark><iframe srcdoc=\"<script>parent.pwned='frame'</script>\"></iframe>",
    "<details open ontoggle=\"window.pwned = 'toggle'\">",
]


def test_hostile_text_renders_as_text_and_runs_nothing(console):
    expect = playwright_api.expect
    ids = []
    for n, payload in enumerate(XSS):
        comment_id = console.post(
            "planet",
            f"x{n}",
            f"{payload} fucking",
            author={"id": f"a{n}", "name": payload},
            story={"id": f"s{n}", "url": "https://planet.example/s", "title": payload},
        )
        report = console.api.post(
            f"/v1/comments/{comment_id}/reports",
            json={"reporter_id": f"r{n}", "reason": "offensive", "text": payload},
            headers=auth(console.keys["planet"]),
        )
        assert report.status_code == 201
        ids.append(comment_id)
    with console.services.db.session() as session:  # as if stored before the API checked it
        session.get(Comment, ids[0]).story_url = "javascript:window.pwned = 'story'"
    page = console.page
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.add_init_script("window.pwned = null;")
    console.sign_in()

    for n, comment_id in enumerate(ids):
        page.goto(f"{console.base}/console/comments/{comment_id}")
        card = page.locator(".card")
        expect(card.locator(".body")).to_contain_text(XSS[n])
        expect(card.locator(".author")).to_have_text(XSS[n])
        expect(card.locator(".reports q")).to_have_text(XSS[n])
        card.locator(".body").click()
        assert page.evaluate("window.pwned") is None, XSS[n]
    page.goto(f"{console.base}/console/comments/{ids[0]}")
    assert page.locator(".card a[href^='javascript']").count() == 0
    page.goto(f"{console.base}/console/")
    page.keyboard.press("j")
    page.keyboard.press("j")
    assert page.evaluate("window.pwned") is None
    assert dialogs == []


def test_scoping_sign_in_redirect_and_csrf(console):
    theirs = console.post("gazette", "g1", "You absolute fucking idiot.")
    ours = console.post("planet", "p1", "You absolute fucking idiot.")
    page = console.page

    page.goto(f"{console.base}/console/?queue=held")
    assert page.url.startswith(f"{console.base}/console/login")

    console.sign_in()
    assert page.goto(f"{console.base}/console/comments/{theirs}").status == 404
    assert page.goto(f"{console.base}/console/comments/{ours}").status == 200
    forged = page.request.post(f"{console.base}/console/comments/{ours}/approve", form={})
    assert forged.status == 403
    assert console.status("planet", ours) == "held"
