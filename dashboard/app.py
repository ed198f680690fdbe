"""Entry point: ``streamlit run dashboard/app.py`` (or ``symbiosis dashboard``).

The shared sidebar runs first, then the chosen page. Pages are titled in the chosen language.
Both run inside `dashboard.failures.guarded`: whatever fails becomes a short message in the
user's language (the cause in the server log), never a traceback, and the next page works.
"""

import sys
from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent
if str(_ROOT) not in sys.path:  # `streamlit run` puts dashboard/ on the path, not the checkout
    sys.path.insert(0, str(_ROOT))

import streamlit as st  # noqa: E402

from dashboard.failures import guarded  # noqa: E402
from dashboard.frame import sidebar  # noqa: E402
from dashboard.i18n import tr  # noqa: E402

PAGES = (
    ("views/overview.py", "nav.overview", ":material/map:", True),
    ("views/matches.py", "nav.matches", ":material/search:", False),
    ("views/scenarios.py", "nav.scenarios", ":material/tune:", False),
    ("views/network.py", "nav.network", ":material/hub:", False),
    ("views/pools.py", "nav.pools", ":material/local_shipping:", False),
    ("views/synergies.py", "nav.synergies", ":material/handshake:", False),
    ("views/declare.py", "nav.declare", ":material/edit_note:", False),
    # water networks (issue 17): targets, composite curve, network and site balances
    ("views/water.py", "nav.water", ":material/waves:", False),  # icon name: no English word shown
    ("views/sharing.py", "nav.sharing", ":material/meeting_room:", False),  # sharing (issue 19)
    ("views/sharing_book.py", "nav.sharing_book", ":material/event_note:", False),  # sharing (issue 19)
)

st.set_page_config(page_title="Symbiosis", page_icon=":material/recycling:", layout="wide")
lang = st.session_state.get("lang", "fr")
here = Path(__file__).parent
page = st.navigation(
    [
        st.Page(here / path, title=tr(key, lang), icon=icon, default=default, url_path=Path(path).stem)
        for path, key, icon, default in PAGES
    ]
)
ready = False
with guarded(lang, tr("failure.sidebar", lang)):
    sidebar()
    ready = True
if ready:
    with guarded(lang, tr("failure.page", lang, page=page.title)):
        page.run()
