"""The water page's strings (issue 17), French and English; merged into `dashboard.i18n.TEXTS`,
kept apart so the water page's wording is edited in one place."""

from __future__ import annotations

WATER_TEXTS: dict[str, dict[str, str]] = {
    "nav.water": {"fr": "Eau", "en": "Water"},
    "water.title": {"fr": "Réseau d'eau — {territory}", "en": "Water network — {territory}"},
    "water.intro": {
        "fr": "Eau douce minimale et eaux usées sans réutilisation, avec réutilisation et avec "
        "régénération, calculées sur les opérations consommatrices d'eau. "
        "Débits en m³/h (= t/h), concentrations en mg/L.",
        "en": "Minimum fresh water and wastewater without reuse, with reuse and with regeneration, "
        "computed on the water-using operations. Flows in m³/h (= t/h), "
        "concentrations in mg/L.",
    },
    "water.tables": {"fr": "Tables eau", "en": "Water tables"},
    "water.tables_territory": {
        "fr": "{title} — territoire choisi",
        "en": "{title} — chosen territory",
    },
    "water.tables_example": {"fr": "Exemple : {title}", "en": "Example: {title}"},
    "water.no_tables": {
        "fr": "Aucune table eau (water_operations.csv) n'est disponible : la base graphe ne les "
        "contient pas ; ajoutez-les à un dossier de jeu de données (docs/DATA_FORMAT.md).",
        "en": "No water tables (water_operations.csv) are available: the graph store does not hold "
        "them; add them to a dataset folder (docs/DATA_FORMAT.md).",
    },
    "water.source_note": {
        "fr": "La base graphe ne contient pas les tables eau : les exemples fournis sont proposés.",
        "en": "The graph store does not hold water tables: the shipped examples are offered.",
    },
    "water.example_note": {
        "fr": "Exemple fourni : ses sites ne sont pas ceux de {territory}.",
        "en": "Shipped example: its sites are not those of {territory}.",
    },
    "water.empty_territory": {
        "fr": "Aucune opération consommatrice d'eau n'est déclarée sur les sites de {territory}.",
        "en": "No water-using operation is declared on the sites of {territory}.",
    },
    "water.carbon_price": {"fr": "Prix du carbone (€/t CO2e)", "en": "Carbon price (€/t CO2e)"},
    "water.computing": {"fr": "Calcul des réseaux d'eau…", "en": "Computing the water networks…"},
    "water.failure": {"fr": "le calcul des réseaux d'eau", "en": "the water network computation"},
    "water.targets": {"fr": "Objectifs", "en": "Targets"},
    "water.fresh_before": {"fr": "Eau douce sans réutilisation", "en": "Fresh water without reuse"},
    "water.fresh_after": {"fr": "Eau douce du plan", "en": "Fresh water of the plan"},
    "water.saved_yr": {"fr": "Eau douce économisée (m³/an)", "en": "Fresh water saved (m³/yr)"},
    "water.waste_after": {"fr": "Eaux usées du plan", "en": "Wastewater of the plan"},
    "water.case_no_reuse": {"fr": "Sans réutilisation", "en": "No reuse"},
    "water.case_reuse_site": {"fr": "Réutilisation sur chaque site", "en": "Reuse within each site"},
    "water.case_reuse_across": {"fr": "Réutilisation entre sites", "en": "Reuse across sites"},
    "water.case_regeneration": {
        "fr": "Réutilisation et régénération entre sites",
        "en": "Reuse and regeneration across sites",
    },
    "water.case_plan": {
        "fr": "Plan le moins coûteux (€ + carbone)",
        "en": "Cheapest plan (€ + carbon)",
    },
    "water.exact": {"fr": "exact (optimum du PL)", "en": "exact (LP optimum)"},
    "water.no_bound": {
        "fr": "réseau réalisable, sans borne prouvée",
        "en": "feasible network, no proven bound",
    },
    "water.bound": {
        "fr": "réseau réalisable ; minimum ≥ {bound} m³/h",
        "en": "feasible network; minimum ≥ {bound} m³/h",
    },
    "water.col_case": {"fr": "Cas", "en": "Case"},
    "water.col_fresh_h": {"fr": "Eau douce (m³/h)", "en": "Fresh water (m³/h)"},
    "water.col_fresh_yr": {"fr": "Eau douce (m³/an)", "en": "Fresh water (m³/yr)"},
    "water.col_waste_h": {"fr": "Eaux usées (m³/h)", "en": "Wastewater (m³/h)"},
    "water.col_treated_h": {"fr": "Traitée (m³/h)", "en": "Treated (m³/h)"},
    "water.col_by_type": {"fr": "Par type de ressource (m³/h)", "en": "By source type (m³/h)"},
    "water.col_guarantee": {"fr": "Garantie", "en": "Guarantee"},
    "water.curves": {"fr": "Courbe composite limite", "en": "Limiting composite curve"},
    "water.no_curve": {
        "fr": "Pas de courbe composite : aucune opération à charge fixe (toutes sont à débit fixe).",
        "en": "No composite curve: no fixed-load operation (all are fixed-flow).",
    },
    "water.contaminant": {"fr": "Polluant", "en": "Contaminant"},
    "water.curve_limiting": {"fr": "Courbe composite limite", "en": "Limiting composite curve"},
    "water.curve_supply": {
        "fr": "Droite d'alimentation en eau douce ({fresh} m³/h)",
        "en": "Fresh-water supply line ({fresh} m³/h)",
    },
    "water.axis_load": {"fr": "Charge polluante cumulée (kg/h)", "en": "Cumulative mass load (kg/h)"},
    "water.axis_conc": {
        "fr": "Concentration de {contaminant} (mg/L)",
        "en": "{contaminant} concentration (mg/L)",
    },
    "water.network": {"fr": "Réseau trouvé", "en": "Network found"},
    "water.network_case": {"fr": "Réseau affiché", "en": "Network shown"},
    "water.col_from": {"fr": "De", "en": "From"},
    "water.col_to": {"fr": "Vers", "en": "To"},
    "water.col_flow_h": {"fr": "Débit (m³/h)", "en": "Flow (m³/h)"},
    "water.col_flow_yr": {"fr": "Débit (m³/an)", "en": "Flow (m³/yr)"},
    "water.discharge": {"fr": "Rejet", "en": "Discharge"},
    "water.balance": {
        "fr": "Bilan eau par site, avant (sans réutilisation) et après (plan), en m³/h",
        "en": "Site water balance, before (no reuse) and after (plan), in m³/h",
    },
    "water.col_site": {"fr": "Site", "en": "Site"},
    "water.col_line": {"fr": "Poste", "en": "Line"},
    "water.col_before": {"fr": "Avant", "en": "Before"},
    "water.col_after": {"fr": "Après", "en": "After"},
    "water.col_change": {"fr": "Écart", "en": "Change"},
    "water.type_ground": {"fr": "Eau souterraine", "en": "Groundwater"},
    "water.type_surface": {"fr": "Eau de surface", "en": "Surface water"},
    "water.type_mains": {"fr": "Réseau public", "en": "Mains water"},
    "water.type_sea": {"fr": "Eau de mer", "en": "Sea water"},
    "water.received": {"fr": "Reçue d'autres sites", "en": "Received from other sites"},
    "water.sent": {"fr": "Envoyée à d'autres sites", "en": "Sent to other sites"},
    "water.released": {"fr": "Libérée par les opérations", "en": "Released by operations"},
    "water.discharged": {"fr": "Rejetée", "en": "Discharged"},
    "water.losses": {"fr": "Pertes (évaporation, produit)", "en": "Losses (evaporation, product)"},
    "water.reused": {"fr": "Réutilisée sur le site", "en": "Reused on site"},
}
