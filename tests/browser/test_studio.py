"""The studio in a real browser (Debian's Chromium, driven by Playwright): make, watch, play,
compare, remix and delete a video; a bad key shows a clear message; every request it makes is in
the spec. Screenshots land in tests/artifacts/."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.support.server import ServerProcess
from vidgate.http.routes import route_of

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
KEY = "studio-test-key-0001"
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="needs Debian's chromium (make test installs it)"
)


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory):
    from playwright.sync_api import sync_playwright

    server = ServerProcess(tmp_path_factory.mktemp("studio"), env={"VIDGATE_API_KEYS": KEY}).start()
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--autoplay-policy=no-user-gesture-required",
            ],
        )
        yield server, browser
        browser.close()
    server.stop()


def test_bad_key_shows_a_clear_message(studio) -> None:
    server, browser = studio
    page = browser.new_page(bypass_csp=True)
    page.goto(f"{server.url}/studio/")
    page.fill("#key", "not-a-key")
    page.click("#key-form button")
    page.wait_for_function("document.querySelector('#status').textContent.includes('refused')")
    assert "That API key was refused" in page.text_content("#status")
    page.close()


def test_make_watch_play_compare_remix_delete(studio) -> None:
    server, browser = studio
    page = browser.new_page(viewport={"width": 1280, "height": 900}, bypass_csp=True)  # for our probes
    requests: list[str] = []
    page.on(
        "request",
        lambda r: r.url.startswith(server.url) and requests.append(f"{r.method} {urlsplit(r.url).path}"),
    )
    page.goto(f"{server.url}/studio/")
    page.fill("#key", KEY)
    page.click("#key-form button")
    page.wait_for_function("document.querySelector('#model').options.length > 0")
    assert "local/default" in page.eval_on_selector_all("#model option", "os => os.map(o => o.value)")

    def make(prompt: str, seconds: str, size: str) -> str:
        page.fill("#prompt", prompt)
        page.fill("#seconds", seconds)
        page.select_option("#size", size)
        page.click("#generate")
        page.wait_for_function(
            f"[...document.querySelectorAll('.card .prompt')].some(p => p.textContent === {prompt!r})"
        )
        return page.eval_on_selector(f".card:has(.prompt:text-is({prompt!r}))", "c => c.dataset.id")

    first = make("A paper boat drifting across a pond", "8", "1280x720")
    seen = set()
    for _ in range(200):  # the progress bar advances to completion
        state = page.eval_on_selector(
            card(first), "c => [c.dataset.status, c.querySelector('progress').value]"
        )
        seen.add(tuple(state))
        if state[0] == "completed":
            break
        page.wait_for_timeout(50)
    assert state[0] == "completed"
    assert any(status == "in_progress" and 0 < value < 100 for status, value in seen), seen
    page.wait_for_function(f"document.querySelector('{card(first)} .thumb').naturalWidth > 0")
    second = make("The same pond in winter", "2", "640x360")
    page.wait_for_function(
        f"document.querySelector('{card(second)}').dataset.status === 'completed'", timeout=60000
    )
    page.screenshot(path=ARTIFACTS / "studio-gallery.png", full_page=True)
    # Spend so far, refreshed as jobs finish (local renders are free: $0.00, with their seconds).
    page.wait_for_function("document.querySelector('#spend').textContent.includes('s of video')")
    assert page.text_content("#spend").startswith("Spent $0.00 (")

    # The job page: the video plays, with the right duration.
    page.click(f"{card(first)} .open")
    page.wait_for_function("document.querySelector('#player').readyState >= 2", timeout=30000)
    assert abs(page.eval_on_selector("#player", "v => v.duration") - 8.0) < 0.1
    page.eval_on_selector("#player", "v => { v.muted = true; return v.play(); }")
    page.wait_for_function("document.querySelector('#player').currentTime > 0.3")
    page.wait_for_function("document.querySelector('#strip').naturalWidth > 0")
    assert "$0.00" in page.text_content("#meta")  # the job's cost
    page.screenshot(path=ARTIFACTS / "studio-job.png")

    # Remix from the job page.
    page.fill("#remix-prompt", "The boat at night")
    page.click("#remix-form button")
    page.wait_for_function(
        "[...document.querySelectorAll('.card .prompt')].some(p => p.textContent === 'The boat at night')"
    )

    # Compare the two finished videos, playing together.
    page.check(f"{card(first)} .pick input")
    page.check(f"{card(second)} .pick input")
    page.click("#compare-button")
    page.wait_for_function(
        "[...document.querySelectorAll('#compare-grid video')].every(v => v.readyState >= 2)"
        " && document.querySelectorAll('#compare-grid video').length === 2"
    )
    page.click("#play-all")
    page.wait_for_function(
        "[...document.querySelectorAll('#compare-grid video')].every(v => v.currentTime > 0.2)"
    )
    page.screenshot(path=ARTIFACTS / "studio-compare.png")
    page.click("#compare .close button")

    # Delete, confirming.
    page.on("dialog", lambda dialog: dialog.accept())
    page.click(f"{card(second)} .open")
    page.click("#delete")
    page.wait_for_function(f"!document.querySelector('{card(second)}')")

    # Every request the studio made is an operation of the spec (or its own static files).
    api = sorted({r for r in requests if not r.split(" ", 1)[1].startswith("/studio")})
    unmatched = [r for r in api if route_of(r.split(" ", 1)[1]) == "unmatched"]
    assert api and not unmatched, unmatched
    page.close()


def test_phone_sized_screen(studio) -> None:
    server, browser = studio
    page = browser.new_page(viewport={"width": 390, "height": 844}, bypass_csp=True)
    page.goto(f"{server.url}/studio/")
    page.fill("#key", KEY)
    page.click("#key-form button")
    page.wait_for_function("document.querySelector('#model').options.length > 0")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing spills sideways
    page.keyboard.press("Tab")  # keyboard reaches the controls
    assert page.evaluate("document.activeElement.tagName") in ("INPUT", "BUTTON", "SELECT", "TEXTAREA")
    page.screenshot(path=ARTIFACTS / "studio-phone.png", full_page=True)
    page.close()


def card(video_id: str) -> str:
    return f'.card[data-id="{video_id}"]'
