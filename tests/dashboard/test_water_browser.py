"""The water page in headless Chromium (`-m browser`; Debian's chromium + chromedriver): served on
Kalundborg's dataset folder, it shows the fresh-water KPIs, the targets and the network by name;
switching the water tables to Wang & Smith's example draws the composite curve (a plotly chart)
with the published 112,50 / 90,00 / 20,00 t/h. Screenshots in test-artifacts/dashboard/."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from browser_support import NEEDS_CHROMIUM

WAIT_S = 120

pytestmark = [pytest.mark.browser, pytest.mark.slow, NEEDS_CHROMIUM]


def _body(driver) -> str:  # noqa: ANN001
    from selenium.webdriver.common.by import By

    return driver.find_element(By.TAG_NAME, "body").text


def _settled(driver) -> bool:  # noqa: ANN001
    from selenium.webdriver.common.by import By

    return bool(driver.find_elements(By.TAG_NAME, "h1")) and not driver.find_elements(
        By.CSS_SELECTOR, '[data-testid="stSpinner"]'
    )


def test_water_page_in_the_browser(kalundborg_url: str, browser, artifacts: Path) -> None:  # noqa: ANN001
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    wait = WebDriverWait(browser, WAIT_S)
    browser.get(f"{kalundborg_url}/water")
    wait.until(lambda d: _settled(d) and "Eau douce sans réutilisation" in _body(d))
    time.sleep(2.0)  # late elements (tables) finish drawing
    browser.save_screenshot(str(artifacts / "water-kalundborg-fr.png"))
    text = _body(browser)
    assert "Réseau d'eau" in text and "Traceback" not in text
    assert "Objectifs" in text and "Bilan eau par site" in text  # tables are canvases: no text
    assert "Pas de courbe composite" in text  # Kalundborg's operations are all fixed-flow

    box = browser.find_element(By.XPATH, "//input[@aria-label[starts-with(., 'Tables eau')]]")
    box.click()
    box.send_keys("Wang")
    box.send_keys(Keys.ENTER)
    wait.until(lambda d: _settled(d) and d.find_elements(By.CSS_SELECTOR, '[data-testid="stPlotlyChart"]'))
    time.sleep(2.0)
    browser.save_screenshot(str(artifacts / "water-wang-smith-fr.png"))
    text = _body(browser)
    assert "Courbe composite limite" in text and "Traceback" not in text
    # the targets table is a canvas (glide data grid): the KPIs carry the figures as text
    assert "112,50 m³/h" in text and "20,00 m³/h" in text
