"""The Mutualisation page in headless Chromium, in French then in English (the dashboard on a
dataset folder: the example park's sharing files). No English word in the French rendering, the
proper names of the example set aside; screenshots under test-artifacts/dashboard/."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from browser_support import NEEDS_CHROMIUM
from test_dashboard_languages_browser import WAIT_S, _body, _settled
from test_french_everywhere import _names, english_words

from symbiosis import DATASETS_DIR
from symbiosis.knowledge import load_knowledge_base
from symbiosis.sharing.records import read_sharing

pytestmark = [pytest.mark.browser, pytest.mark.slow, NEEDS_CHROMIUM]


def test_sharing_page_in_french_then_english(kalundborg_url: str, browser, artifacts: Path) -> None:  # noqa: ANN001
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    park = read_sharing(DATASETS_DIR / "sharing_plaine_ain", load_knowledge_base())
    names = _names(park.dataset) + [o.name for o in park.offers] + [n.id for n in park.needs]
    wait = WebDriverWait(browser, WAIT_S)
    browser.get(f"{kalundborg_url}/sharing")
    wait.until(_settled)
    wait.until(lambda d: "Occupation semaine × heure" in _body(d))
    time.sleep(2.0)  # the heat map and tables finish drawing
    french = _body(browser)
    browser.save_screenshot(str(artifacts / "sharing-fr.png"))
    assert "Traceback" not in french and "Besoins servis" in french
    assert english_words(french, names) == []
    english_xpath = "//label[.//p[normalize-space()='English']]"
    wait.until(lambda d: d.find_elements(By.XPATH, english_xpath))
    browser.find_element(By.XPATH, english_xpath).click()
    wait.until(lambda d: _settled(d) and "Needs served" in _body(d))
    time.sleep(2.0)
    english = _body(browser)
    browser.save_screenshot(str(artifacts / "sharing-en.png"))
    assert "Traceback" not in english and "Week × hour occupancy" in english
    assert english_words(english, names)  # the English page is English: the check can fail
