"""A candidate's explanation in the user's language, rebuilt from its structured parts.

`symbiosis.matching.explain` writes one English text per candidate (the API's and CLI's). The
dashboard does not translate that text: it rebuilds the explanation from what the text was made
of — the candidate's `ConditionCheck`s (name, held, actual, required) and its figures — with this
catalogue, so a French user reads French and the matching code stays untouched. English users get
the same rebuilt text in English (one shape for both languages, names instead of codes).
"""

from __future__ import annotations

import math

from dashboard.formats import fmt_number, unit_label
from dashboard.names import Labels
from symbiosis.domain.candidate import Candidate, ConditionCheck

MONTHS = {
    "fr": ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}
_ENGLISH_MONTHS = MONTHS["en"]

TEXT: dict[str, dict[str, str]] = {
    "title": {"fr": "{giver} → {receiver} — {verdict}", "en": "{giver} → {receiver} — {verdict}"},
    "viable": {"fr": "réalisable", "en": "viable"},
    "not_viable": {"fr": "non réalisable", "en": "not viable"},
    "same_resource": {"fr": "même ressource ({a})", "en": "same resource ({a})"},
    "rule": {
        "fr": "règle de substitution : 1 {u_out} de {a} remplace {ratio} {u_in} de {r}",
        "en": "substitution rule: 1 {u_out} of {a} replaces {ratio} {u_in} of {r}",
    },
    "no_rule": {
        "fr": "aucune règle ne permet à {a} de remplacer {r}",
        "en": "no substitution rule lets {a} replace {r}",
    },
    "not_declared": {"fr": "non déclarée", "en": "not declared"},
    "temperature_min": {"fr": "température {a}, exige ≥ {r} °C", "en": "temperature {a}, needs ≥ {r} °C"},
    "temperature_max": {"fr": "température {a}, accepte ≤ {r} °C", "en": "temperature {a}, accepts ≤ {r} °C"},
    "purity": {"fr": "pureté {a}, exige ≥ {r} %", "en": "purity {a}, needs ≥ {r} %"},
    "moisture": {"fr": "humidité {a}, accepte ≤ {r} %", "en": "moisture {a}, accepts ≤ {r} %"},
    "contaminant_absent": {
        "fr": "{name} non déclaré par le donneur (considéré absent), limite {r} mg/l",
        "en": "{name} not declared by the giver (taken as absent), limit {r} mg/l",
    },
    "contaminant_ok": {"fr": "{name} {a} mg/l ≤ limite {r} mg/l", "en": "{name} {a} mg/l ≤ limit {r} mg/l"},
    "contaminant_blend": {
        "fr": "{name} {a} mg/l au-dessus de la limite {r} mg/l : utilisable seulement en mélange avec "
        "l'eau propre du receveur, au plus {share} % de son apport",
        "en": "{name} {a} mg/l above the limit {r} mg/l: usable only blended with the receiver's clean "
        "supply, at most {share} % of its intake",
    },
    "contaminant_bad": {"fr": "{name} {a} mg/l, limite {r} mg/l", "en": "{name} {a} mg/l, limit {r} mg/l"},
    "timing_ok": {"fr": "mois en commun : {a}", "en": "months in common: {a}"},
    "timing_bad": {
        "fr": "aucun mois en commun : le donneur l'a {a}, le receveur en a besoin {r}",
        "en": "no month in common: the giver has it {a}, the receiver needs it {r}",
    },
    "all_year": {"fr": "toute l'année", "en": "all year"},
    "no_month": {"fr": "jamais", "en": "never"},
    "distance_ok": {
        "fr": "{a} km ≤ portée {r} km pour la famille {family} ({route} km par {mode})",
        "en": "{a} km ≤ reach {r} km for {family} ({route} km by {mode})",
    },
    "distance_far": {
        "fr": "trop loin : {a} km, portée {r} km pour la famille {family}",
        "en": "too far: {a} km, reach {r} km for {family}",
    },
    "same_site": {
        "fr": "donneur et receveur sont le même site : pas un échange entre sites",
        "en": "giver and receiver are the same site: not an exchange between sites",
    },
    "pipe_loss": {
        "fr": "les pertes en canalisation sur {a} km consomment tout le flux",
        "en": "pipeline losses over {a} km consume the whole flow",
    },
    "not_truckable": {
        "fr": "{res} se compte en {u} : pas de transport par camion",
        "en": "{res} is counted in {u}: it cannot be carried by truck",
    },
    "figures": {
        "fr": "Chiffres pour {q_out} {u_out}/an envoyées, {q_in} {u_in}/an livrées :",
        "en": "Figures at {q_out} {u_out}/yr sent, {q_in} {u_in}/yr delivered:",
    },
    "disposal": {
        "fr": "+ élimination évitée chez le donneur : {v} €/an",
        "en": "+ avoided disposal at the giver: {v} €/yr",
    },
    "supply": {
        "fr": "+ achat évité chez le receveur : {v} €/an",
        "en": "+ avoided supply at the receiver: {v} €/yr",
    },
    "transport": {"fr": "− transport : {v} €/an", "en": "− transport: {v} €/yr"},
    "pretreatment": {"fr": "− prétraitement : {v} €/an", "en": "− pre-treatment: {v} €/yr"},
    "net": {
        "fr": "= gain net {v} €/an ; CO2e évité {co2} t/an",
        "en": "= net gain {v} €/yr; CO2e avoided {co2} t/yr",
    },
    "mode.truck": {"fr": "camion", "en": "truck"},
    "mode.pipeline": {"fr": "canalisation", "en": "pipeline"},
}


def _lower(name: str) -> str:
    """A resource name inside a sentence: "de boues", but "de CO2 liquéfié"."""
    return name if name[:2].isupper() else name[:1].lower() + name[1:]


def _t(key: str, lang: str, **values: object) -> str:
    return TEXT[key][lang].format(**values)


def _n(value: object, lang: str) -> str:
    if not isinstance(value, int | float) or (isinstance(value, float) and math.isnan(value)):
        return _t("not_declared", lang)
    v = float(value)
    return fmt_number(v, lang, 0 if abs(v) >= 100 or v == int(v) else 2)


def _months(text: object, lang: str) -> str:
    """The matcher's month list ("all year", "none", "Jan, Feb") in ``lang``."""
    raw = str(text)
    if raw == "all year":
        return _t("all_year", lang)
    if raw == "none":
        return _t("no_month", lang)
    names = dict(zip(_ENGLISH_MONTHS, MONTHS[lang], strict=True))
    return ", ".join(names.get(m.strip(), m.strip()) for m in raw.split(","))


def check_line(c: ConditionCheck, cand: Candidate, labels: Labels) -> str:
    """One condition as a sentence in ``labels.lang``, from its structured parts."""
    lang = labels.lang
    a, r = c.actual, c.required
    if c.name == "resource":
        if not c.held:
            return _t("no_rule", lang, a=labels.resource(str(a)), r=labels.resource(str(r)))
        if cand.rule_id is None:
            return _t("same_resource", lang, a=labels.resource(str(a)))
        return _t(
            "rule",
            lang,
            u_out=unit_label(cand.unit_out.value),
            a=_lower(labels.resource(str(a))),
            ratio=_n(cand.ratio, lang),
            u_in=unit_label(cand.unit_in.value),
            r=_lower(labels.resource(str(r))),
        )
    if c.name == "temperature":
        seen = f"{_n(a, lang)} °C" if isinstance(a, int | float) else _t("not_declared", lang)
        key = "temperature_min" if "≥" in c.detail else "temperature_max"
        return _t(key, lang, a=seen, r=_n(r, lang))
    if c.name in ("purity", "moisture"):
        seen = f"{_n(a, lang)} %" if isinstance(a, int | float) else _t("not_declared", lang)
        return _t(c.name, lang, a=seen, r=_n(r, lang))
    if c.name.startswith("contaminant:"):
        name = c.name.split(":", 1)[1]
        if a is None:
            return _t("contaminant_absent", lang, name=name, r=_n(r, lang))
        if float(a) <= float(r or 0):
            return _t("contaminant_ok", lang, name=name, a=_n(a, lang), r=_n(r, lang))
        if c.held:
            share = _n(float(r or 0) / float(a) * 100, lang)
            return _t("contaminant_blend", lang, name=name, a=_n(a, lang), r=_n(r, lang), share=share)
        return _t("contaminant_bad", lang, name=name, a=_n(a, lang), r=_n(r, lang))
    if c.name == "timing":
        if c.held:
            return _t("timing_ok", lang, a=_months(a, lang))
        return _t("timing_bad", lang, a=_months(a, lang), r=_months(r, lang))
    if c.name == "distance":
        if r is None:
            return _t("same_site", lang)
        family = labels.family(cand.family.value).lower()
        if not c.held:
            return _t("distance_far", lang, a=_n(a, lang), r=_n(r, lang), family=family)
        mode = _t(f"mode.{cand.transport_mode.value}", lang)
        route = _n(cand.route_km, lang)
        return _t("distance_ok", lang, a=_n(a, lang), r=_n(r, lang), family=family, route=route, mode=mode)
    if c.name == "transport":
        if isinstance(a, int | float):
            return _t("pipe_loss", lang, a=_n(a, lang))
        return _t("not_truckable", lang, res=labels.resource(cand.output_resource), u=unit_label(str(a)))
    return c.detail  # a condition this catalogue does not know yet: the matcher's own words


def explanation(cand: Candidate, labels: Labels) -> str:
    """The whole explanation: verdict, one line per condition, then the figures behind the gain."""
    lang = labels.lang
    verdict = _t("viable" if cand.viable else "not_viable", lang)
    lines = [
        _t(
            "title",
            lang,
            giver=labels.site(cand.giver_site_id),
            receiver=labels.site(cand.receiver_site_id),
            verdict=verdict,
        )
    ]
    lines += [("  ✓ " if c.held else "  ✗ ") + check_line(c, cand, labels) for c in cand.checks]
    qty = cand.exchangeable_qty_per_yr
    if qty > 0 and all(c.name != "resource" or c.held for c in cand.checks):
        u_out, u_in = unit_label(cand.unit_out.value), unit_label(cand.unit_in.value)
        q_in = _n(qty * cand.delivery_factor, lang)
        lines.append("  " + _t("figures", lang, q_out=_n(qty, lang), u_out=u_out, q_in=q_in, u_in=u_in))
        lines.append("    " + _t("disposal", lang, v=_n(cand.avoided_disposal_eur_per_yr, lang)))
        lines.append("    " + _t("supply", lang, v=_n(cand.avoided_supply_eur_per_yr, lang)))
        lines.append("    " + _t("transport", lang, v=_n(cand.transport_cost_eur_per_yr, lang)))
        if cand.pretreatment_cost_eur_per_yr > 0:
            lines.append("    " + _t("pretreatment", lang, v=_n(cand.pretreatment_cost_eur_per_yr, lang)))
        lines.append(
            "    "
            + _t("net", lang, v=_n(cand.net_gain_eur_per_yr, lang), co2=_n(cand.co2_avoided_t_per_yr, lang))
        )
    return "\n".join(lines)
