"""A stored run followed in a real browser: the served dashboard on the test store, an admin signs
in on the Scenarios page, starts a stored run and — without touching the page again — sees it
finish, because the runs panel polls itself (a Streamlit fragment with ``run_every``, which
AppTest cannot fire). Screenshot in test-artifacts/dashboard/."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from browser_support import NEEDS_CHROMIUM

pytestmark = [
    pytest.mark.browser,
    pytest.mark.graph,
    pytest.mark.slow,
    NEEDS_CHROMIUM,
]
WAIT_S = 240


def _click_until(driver, xpath: str, done, attempts: int = 4, wait_s: float = 20.0) -> None:  # noqa: ANN001
    """Click, and again if Streamlit re-rendered the button before the click took."""
    from selenium.common.exceptions import (
        ElementNotInteractableException,
        NoSuchElementException,
        StaleElementReferenceException,
        TimeoutException,
    )
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    flaky = (StaleElementReferenceException, NoSuchElementException, ElementNotInteractableException)
    for attempt in range(attempts):
        try:
            WebDriverWait(driver, 30).until(ec.element_to_be_clickable((By.XPATH, xpath))).click()
            WebDriverWait(driver, wait_s).until(done)
            return
        except (*flaky, TimeoutException):
            if attempt == attempts - 1:
                raise
            time.sleep(0.5)


def test_a_stored_run_finishes_on_screen_without_a_click(
    store_dashboard: str,
    browser,  # noqa: ANN001
    artifacts: Path,
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    def body(d) -> str:  # noqa: ANN001
        return d.find_element(By.TAG_NAME, "body").text

    browser.get(f"{store_dashboard}/scenarios")
    WebDriverWait(browser, WAIT_S).until(lambda d: d.find_elements(By.XPATH, "//input[@aria-label='E-mail']"))
    browser.find_element(By.XPATH, "//input[@aria-label='E-mail']").send_keys("admin@example.org")
    browser.find_element(By.XPATH, "//input[@aria-label='Mot de passe']").send_keys("correct-horse-battery")
    store = "//button[.//p[normalize-space()='Lancer en exécution enregistrée']]"
    _click_until(
        browser,
        "//button[.//p[normalize-space()='Se connecter']]",
        lambda d: d.find_elements(By.XPATH, store),
        wait_s=WAIT_S / 2,
    )
    _click_until(browser, store, lambda d: "lancée" in body(d))
    started = time.monotonic()
    states = (": en attente", ": en cours", ": terminée")
    first = WebDriverWait(browser, 60).until(lambda d: next((x for x in states if x in body(d)), None))
    assert first != ": terminée"  # seen queued or running first: what follows is the page's own polling
    WebDriverWait(browser, WAIT_S).until(lambda d: ": terminée" in body(d))  # no click in between
    text = body(browser)
    browser.save_screenshot(str(artifacts / "stored-run.png"))
    assert "liens planifiés, proposés à la promotion" in text, text
    assert time.monotonic() - started < WAIT_S
