"""Frames as a user reads them: names instead of ids (`dashboard.names`), enums in the user's
language, figures formatted for it (`dashboard.formats`), units in the headers.

`dashboard.data` keeps the raw frames (ids, floats) for sorting, maps and CSV exports; these are
what tables show. Nothing here imports Streamlit.
"""

from __future__ import annotations

import pandas as pd

from dashboard.formats import fmt_number, unit_label
from dashboard.i18n import tr
from dashboard.names import Labels, sector_name


def candidates_table(frame: pd.DataFrame, labels: Labels) -> pd.DataFrame:
    """`data.candidates_frame` → giver and receiver as "site (firm)", resource names, figures."""
    lang = labels.lang
    t = lambda key, **v: tr(key, lang, **v)  # noqa: E731 - a local shorthand
    return pd.DataFrame(
        {
            t("col.giver"): [labels.site(s) for s in frame["giver_site_id"]],
            t("col.receiver"): [labels.site(s) for s in frame["receiver_site_id"]],
            t("col.output_resource"): [labels.resource(c) for c in frame["output_resource"]],
            t("col.input_resource"): [labels.resource(c) for c in frame["input_resource"]],
            t("col.family"): [labels.family(f) for f in frame["family"]],
            t("col.transport_mode"): [t(f"transport.{m}") for m in frame["transport_mode"]],
            t("col.distance_km"): [fmt_number(v, lang, 1) for v in frame["distance_km"]],
            t("col.exchangeable_qty_per_yr"): [
                f"{fmt_number(v, lang)} {unit_label(u)}"
                for v, u in zip(frame["exchangeable_qty_per_yr"], frame["unit_out"], strict=True)
            ],
            t("col.net_gain_eur_per_yr"): [fmt_number(v, lang) for v in frame["net_gain_eur_per_yr"]],
            t("col.co2_avoided_t_per_yr"): [fmt_number(v, lang, 1) for v in frame["co2_avoided_t_per_yr"]],
        }
    )


def candidate_label(row: pd.Series, labels: Labels) -> str:
    """One candidate in a select box: "Fly ash: Asnæs (Ørsted) → Gyproc (Saint-Gobain)"."""
    return (
        f"{labels.resource(row['output_resource'])} : {labels.site(row['giver_site_id'])} → "
        f"{labels.site(row['receiver_site_id'])}"
        if labels.lang == "fr"
        else f"{labels.resource(row['output_resource'])}: {labels.site(row['giver_site_id'])} → "
        f"{labels.site(row['receiver_site_id'])}"
    )


def links_table(links: pd.DataFrame, labels: Labels) -> pd.DataFrame:
    """`data.link_savings_frame` (a plan's chosen links) as a user reads it."""
    lang = labels.lang
    t = lambda key, **v: tr(key, lang, **v)  # noqa: E731
    return pd.DataFrame(
        {
            t("col.giver"): [labels.site(s) for s in links["giver_site_id"]],
            t("col.receiver"): [labels.site(s) for s in links["receiver_site_id"]],
            t("col.output_resource"): [labels.resource(c) for c in links["output_resource"]],
            t("col.input_resource"): [labels.resource(c) for c in links["input_resource"]],
            t("col.family"): [labels.family(f) for f in links["family"]],
            t("col.qty_per_yr"): [
                f"{fmt_number(v, lang)} {unit_label(u)}"
                for v, u in zip(links["qty_per_yr"], links["unit_out"], strict=True)
            ],
            t("col.delivered_per_yr"): [
                f"{fmt_number(v, lang)} {unit_label(u)}"
                for v, u in zip(links["delivered_per_yr"], links["unit_in"], strict=True)
            ],
            t("col.savings_eur_per_yr"): [fmt_number(v, lang) for v in links["savings_eur_per_yr"]],
            t("col.co2_avoided_t_per_yr"): [fmt_number(v, lang, 1) for v in links["co2_avoided_t_per_yr"]],
        }
    )


def sites_table(sites: pd.DataFrame, lang: str) -> pd.DataFrame:
    """`data.sites_frame` without ids or map colours: site, firm, sector, declarations."""
    t = lambda key, **v: tr(key, lang, **v)  # noqa: E731
    return pd.DataFrame(
        {
            t("col.site"): sites["site"],
            t("col.firm"): sites["firm"],
            t("col.sector_name"): [
                f"{s} — {sector_name(s, n, lang)}" if n else s
                for s, n in zip(sites["sector"], sites["sector_name"], strict=True)
            ],
            t("col.n_outputs"): sites["n_outputs"],
            t("col.n_inputs"): sites["n_inputs"],
        }
    )


def company_table(frame: pd.DataFrame, labels: Labels, partners: dict[str, str]) -> pd.DataFrame:
    """`company.matches_frame` as the company reads it: its own site by name, the partner by name
    when disclosed or by its stable label ("Partenaire A — vapeur, 1–2 km") when masked; figures
    exact or ranges, exactly as the service returned them (decimal comma in French)."""
    lang = labels.lang
    t = lambda key, **v: tr(key, lang, **v)  # noqa: E731

    def figure(text: str) -> str:
        return text.replace(".", ",") if lang == "fr" else text.replace("\u202f", ",")

    return pd.DataFrame(
        {
            t("col.own_side"): [t(f"side.{s}") for s in frame["own_side"]],
            t("col.own_site_id"): [labels.site(s) for s in frame["own_site_id"]],
            t("col.partner"): [partners.get(p, p) for p in frame["partner"]],
            t("col.disclosed_by"): [t(f"disclosed.{d}") for d in frame["disclosed_by"]],
            t("col.output_resource"): [labels.resource(c) for c in frame["output_resource"]],
            t("col.input_resource"): [labels.resource(c) for c in frame["input_resource"]],
            t("col.family"): [labels.family(f) for f in frame["family"]],
            t("col.transport_mode"): [t(f"transport.{m}") for m in frame["transport_mode"]],
            t("col.distance_km"): [figure(v) for v in frame["distance_km"]],
            t("col.exchangeable_qty_per_yr"): [
                f"{figure(v)} {unit_label(u)}"
                for v, u in zip(frame["exchangeable_qty_per_yr"], frame["unit_out"], strict=True)
            ],
            t("col.net_gain_eur_per_yr"): [figure(v) for v in frame["net_gain_eur_per_yr"]],
            t("col.co2_avoided_t_per_yr"): [figure(v) for v in frame["co2_avoided_t_per_yr"]],
        }
    )


def candidate_label_company(row: pd.Series, labels: Labels, partners: dict[str, str]) -> str:
    """One of a company's rows in a select box: resource, its own site, the partner's label."""
    partner = partners.get(row["partner"], row["partner"])
    return f"{labels.resource(row['output_resource'])} — {labels.site(row['own_site_id'])} ↔ {partner}"
