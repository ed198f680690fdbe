"""End-to-end tasks in headless Chromium on the served dashboard and the private test store: an
analyst scouting a territory (signed out first: only the sign-in; signed in: the published
aggregates, no firm). Screenshots in test-artifacts/dashboard/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser_support import NEEDS_CHROMIUM
from conftest import PASSWORD
from test_stored_runs_browser import _click_until

from symbiosis.domain.dataset import Dataset

pytestmark = [pytest.mark.browser, pytest.mark.graph, pytest.mark.slow, NEEDS_CHROMIUM]
WAIT_S = 240


def _body(driver) -> str:  # noqa: ANN001
    from selenium.webdriver.common.by import By

    return driver.find_element(By.TAG_NAME, "body").text


def test_analyst_scouting(
    store_dashboard: str,
    browser,  # noqa: ANN001
    artifacts: Path,
    kalundborg: Dataset,
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(store_dashboard)
    email = "//input[@aria-label='E-mail']"
    WebDriverWait(browser, WAIT_S).until(lambda d: d.find_elements(By.XPATH, email))
    signed_out = _body(browser)
    assert "Connectez-vous (barre latérale) pour consulter le tableau de bord." in signed_out
    assert not [f.name for f in kalundborg.firms if f.name in signed_out]
    browser.save_screenshot(str(artifacts / "task-analyst-signed-out.png"))

    browser.find_element(By.XPATH, email).send_keys("analyst@example.org")
    browser.find_element(By.XPATH, "//input[@aria-label='Mot de passe']").send_keys(PASSWORD)
    _click_until(
        browser,
        "//button[.//p[normalize-space()='Se connecter']]",
        lambda d: "agrégats publiés" in _body(d),
        wait_s=WAIT_S / 2,
    )
    WebDriverWait(browser, WAIT_S).until(lambda d: "Potentiel" in _body(d))
    text = _body(browser)
    browser.save_screenshot(str(artifacts / "task-analyst-aggregates.png"))
    assert "Connecté : analyst@example.org (analyste)" in text
    assert re.search(r"Entreprises\s+\d+", text) and re.search(r"Synergies possibles\s+\d+", text)
    firm_level = [f.name for f in kalundborg.firms] + [s.name for s in kalundborg.sites]
    assert [x for x in firm_level if x in text] == []
    assert "Source des données" not in text  # the data-source switch is the admin's only
