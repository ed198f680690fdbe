"""Every page in headless Chromium, in French then in English: no English word in the French
rendering (the proper names of the dataset set aside), and a screenshot of each page in each
language under test-artifacts/dashboard/ (`-m browser`; Debian's chromium + chromedriver)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from browser_support import NEEDS_CHROMIUM
from test_french_everywhere import _names, english_words

from symbiosis.domain.dataset import Dataset

WAIT_S = 120
PAGES = ("overview", "matches", "scenarios", "network", "synergies", "declare", "sharing_book")

pytestmark = [pytest.mark.browser, pytest.mark.slow, NEEDS_CHROMIUM]


def _settled(driver) -> bool:  # noqa: ANN001
    from selenium.webdriver.common.by import By

    return bool(driver.find_elements(By.TAG_NAME, "h1")) and not driver.find_elements(
        By.CSS_SELECTOR, '[data-testid="stSpinner"]'
    )


def _body(driver) -> str:  # noqa: ANN001
    from selenium.webdriver.common.by import By

    return driver.find_element(By.TAG_NAME, "body").text


@pytest.mark.parametrize("page", PAGES)
def test_page_in_french_then_english(
    kalundborg_url: str,
    browser,  # noqa: ANN001
    artifacts: Path,
    kalundborg: Dataset,
    page: str,
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    wait = WebDriverWait(browser, WAIT_S)
    browser.get(f"{kalundborg_url}/{'' if page == 'overview' else page}")
    wait.until(_settled)
    time.sleep(2.0)  # late elements (charts, tables) finish drawing
    french = _body(browser)
    browser.save_screenshot(str(artifacts / f"{page}-fr.png"))
    (artifacts / f"{page}-fr.txt").write_text(french, encoding="utf-8")
    assert "Traceback" not in french
    assert english_words(french, _names(kalundborg)) == []

    english_xpath = "//label[.//p[normalize-space()='English']]"
    wait.until(lambda d: d.find_elements(By.XPATH, english_xpath))
    browser.find_element(By.XPATH, english_xpath).click()
    wait.until(lambda d: _settled(d) and _body(d) != french)
    time.sleep(2.0)
    english = _body(browser)
    browser.save_screenshot(str(artifacts / f"{page}-en.png"))
    assert "Traceback" not in english
    assert english_words(english, _names(kalundborg))  # the English page is English: the check can fail
