"""Synergy pipeline: synergies by status with their history; a facilitator moves one on.

Synergies, their history and roles live in the service layer (`symbiosis.services`); until it is
installed this page shows the territory's known (operating) exchanges read-only.
"""

import importlib.util

import pandas as pd
import streamlit as st

from dashboard.frame import context

ctx = context()
t = ctx.t
st.title(t("synergies.title", territory=ctx.territory_name))
ds = ctx.dataset

if importlib.util.find_spec("symbiosis.services") is None:
    st.info(t("synergies.no_service"))
else:
    st.warning(t("synergies.not_wired"))

st.subheader(t("synergies.known"))
known = pd.DataFrame(
    [(x.id, x.from_site_id, x.to_site_id, x.resource_code, x.since_year, x.source) for x in ds.exchanges],
    columns=["id", t("col.giver"), t("col.receiver"), t("col.resource"), t("col.since"), "source"],
)
st.metric(t("synergies.n_operating"), f"{len(known):,}")
st.dataframe(known, hide_index=True, key="sy_known")
