"""Issue 18, hand-worked: country factors, heat-pump COP and cost, pipes sized by flow, CHP steam.

Every expected figure is computed here from the published constants (energy_parameters.csv,
country_factors.csv, pipelines.csv), written out, not taken from the code under test.
"""

from __future__ import annotations

import math

import pytest

from symbiosis.domain.dataset import Dataset
from symbiosis.domain.declarations import InputDeclaration, OutputDeclaration, Quality
from symbiosis.domain.firm import Firm, Site
from symbiosis.domain.territory import Territory
from symbiosis.knowledge import load_knowledge_base
from symbiosis.matching.candidates import explain_pair
from symbiosis.matching.options import MatchOptions
from symbiosis.matching.tables import build_tables

KM_PER_DEG_LAT = 6371.0088 * math.pi / 180.0  # matching.geo's mean Earth radius
CRF_5PCT_40YR = 0.05 * 1.05**40 / (1.05**40 - 1)
CRF_5PCT_30YR = 0.05 * 1.05**30 / (1.05**30 - 1)
CRF_5PCT_25YR = 0.05 * 1.05**25 / (1.05**25 - 1)


def _dataset(country: str | None, outputs: list, inputs: list, km: float = 1.0) -> Dataset:
    terr = [] if country is None else [Territory(id="c", name=country, level="country", code=country)]
    tid = None if country is None else "c"
    sites = [
        Site(
            id=s,
            firm_id="f",
            name=s,
            latitude_deg=60.0 + k / KM_PER_DEG_LAT,
            longitude_deg=25.0,
            territory_id=tid,
        )
        for s, k in (("a", 0.0), ("b", km))
    ]
    return Dataset(
        territories=terr, firms=[Firm(id="f", name="f")], sites=sites, outputs=outputs, inputs=inputs
    )


def _out(res: str, qty: float, unit: str, **q: float) -> OutputDeclaration:
    return OutputDeclaration(
        id="o",
        site_id="a",
        resource_code=res,
        unit=unit.split("/")[0],
        quantity=qty,
        quantity_unit=unit,
        quality=Quality(**q),
    )


def _in(res: str, qty: float, unit: str) -> InputDeclaration:
    return InputDeclaration(
        id="i", site_id="b", resource_code=res, unit=unit.split("/")[0], quantity=qty, quantity_unit=unit
    )


def _pair(ds: Dataset):
    kb = load_knowledge_base()
    return explain_pair(build_tables(ds, kb), kb, MatchOptions(), 0, 0)


def _to_district_heating(out: OutputDeclaration, km: float = 2.0):
    """``out`` piped ``km`` (great-circle) in Finland to a district-heating demand far larger than it."""
    return _pair(_dataset("FI", [out], [_in("heat_medium_50_90c", 1e6, "MWh/yr")], km=km))


@pytest.mark.parametrize(
    ("country", "price", "grid"),
    [
        # Eurostat nrg_pc_205, band ID (2,000-19,999 MWh), excl. VAT, 2025-S2; grid: Ember 2023
        ("FI", 67.4, 79.16),
        ("DK", 123.2, 151.65),
        ("FR", 121.2, 56.04),
        ("DE", 192.2, 380.95),
        ("SE", 85.2, 40.7),
        ("NL", 181.1, 267.62),
        ("BE", 157.1, 138.11),
        ("IT", 194.8, 330.72),
        ("ES", 119.1, 174.05),
        ("AT", 179.9, 110.81),
        ("PL", 173.5, 661.93),
        ("PT", 121.6, 165.55),
        # outside Eurostat's table: the EU average placeholder (H2 2024)
        ("UK", 189.9, 237.59),
        ("NO", 189.9, 30.08),
        (None, 189.9, 243.83),
    ],
)
def test_steam_from_a_chp_is_charged_the_lost_power_at_its_countrys_factors(
    country: str | None, price: float, grid: float
) -> None:
    """0.178 MWh of electricity lost per t of 10 bar steam, at the giver's country (EU row if none)."""
    c = _pair(
        _dataset(country, [_out("steam", 10_000, "t/yr", temperature_c=180)], [_in("steam", 10_000, "t/yr")])
    )
    assert c.avoided_disposal_eur_per_unit == pytest.approx(-0.178 * price)
    assert c.avoided_disposal_co2_kg_per_unit == pytest.approx(-0.178 * grid)


def test_a_declared_disposal_cost_overrides_the_lost_power() -> None:
    """A boiler's steam (declared 0) is not charged lost power."""
    out = _out("steam", 10_000, "t/yr", temperature_c=180).model_copy(
        update={"disposal_cost_eur_per_unit": 0.0}
    )
    c = _pair(_dataset("FI", [out], [_in("steam", 10_000, "t/yr")]))
    assert c.avoided_disposal_eur_per_unit == 0.0
    assert c.avoided_disposal_co2_kg_per_unit == pytest.approx(-0.178 * 79.16)


def test_heat_pump_cop_and_cost_for_a_given_lift_by_hand() -> None:
    """24.5 °C effluent heat to an 80 °C district-heating flow in Finland, 1 MW of source all year.

    COP = 0.45 × 353.15 K / 55.5 K = 2.8634; electricity per MWh of source = 1 / (COP − 1) = 0.5367
    MWh at 67.4 €/MWh = 36.17 €; sink heat per MWh of source = COP / (COP − 1) = 1.5367;
    heat-pump capex 0.7 M€/MW × 1.5367 MW × (CRF 25 yr 5 % + 2 %).
    """
    cop = 0.45 * 353.15 / 55.5
    c = _pair(
        _dataset(
            "FI",
            [_out("heat_low_lt_50c", 8760, "MWh/yr", temperature_c=24.5)],
            [_in("heat_medium_50_90c", 50_000, "MWh/yr")],
        )
    )
    assert c.rule_id == "heat_low_lt_50c-heat_medium_50_90c"
    route_km = 1.0 * 1.2
    pumping = 0.01 * route_km  # pipelines.csv heat operating €/MWh·km
    assert c.variable_cost_eur_per_unit == pytest.approx(pumping + 67.4 / (cop - 1.0), rel=1e-6)
    assert c.variable_cost_eur_per_unit - pumping == pytest.approx(36.17, abs=0.01)
    # heat pump's share of the fixed cost: total less the pipe sized for 1 MW of 45/25 °C water
    kg_per_mwh = 3.6e6 / (4.19 * 20.0)
    d = math.sqrt(4 * (1.0 * kg_per_mwh / 972.0 / 3600.0) / (math.pi * 2.0))
    pipe = (214.0 + 1725.0 * d) * 1000.0 * route_km * (CRF_5PCT_40YR + 0.015)
    hp = 700_000.0 * (cop / (cop - 1.0)) * (CRF_5PCT_25YR + 0.02)
    assert c.fixed_cost_eur_per_yr == pytest.approx(pipe + hp, rel=1e-6)
    assert c.delivery_factor < cop / (cop - 1.0) and c.delivery_factor > 0.95 * cop / (cop - 1.0)


def test_a_smaller_lift_gives_a_higher_cop_and_cheaper_heat() -> None:
    def var_cost(t_source: float) -> float:
        ds = _dataset(
            "FI",
            [_out("heat_low_lt_50c", 8760, "MWh/yr", temperature_c=t_source)],
            [_in("heat_medium_50_90c", 50_000, "MWh/yr")],
        )
        return _pair(ds).variable_cost_eur_per_unit

    assert var_cost(40.0) < var_cost(24.5) < var_cost(10.0)
    cop_40 = 0.45 * 353.15 / 40.0
    assert var_cost(40.0) == pytest.approx(0.012 + 67.4 / (cop_40 - 1.0), rel=1e-6)


@pytest.mark.parametrize("mw", [10.0, 0.1])
def test_pipe_capex_follows_the_flow_two_flows_100x_apart(mw: float) -> None:
    """80/40 °C hot water: 10 MW needs d = 0.1977 m (555.0 €/m), 0.1 MW d = 0.01977 m (248.1 €/m):
    100× less flow, 10× smaller diameter, but only 2.2× cheaper — the trench costs C1 regardless."""
    c = _to_district_heating(_out("heat_medium_50_90c", mw * 8760, "MWh/yr", temperature_c=80))
    q_m3_s = mw * 3.6e6 / (4.19 * 40.0) / 972.0 / 3600.0
    d = math.sqrt(4 * q_m3_s / (math.pi * 2.0))
    per_m = 214.0 + 1725.0 * d
    assert per_m == pytest.approx({10.0: 555.0, 0.1: 248.1}[mw], abs=0.1)
    assert c.fixed_cost_eur_per_yr == pytest.approx(
        per_m * 1000.0 * 2.0 * 1.2 * (CRF_5PCT_40YR + 0.015), rel=1e-6
    )


def test_heat_loss_is_a_larger_share_of_a_small_pipe() -> None:
    """Loss W/m of a buried pair (EN 13941 style), as a share of the mean flow: d = 0.1977 m →
    R_ins = ln 1.65 / (2π·0.027) = 2.9519, R_soil = ln(4·(0.8 + 0.1631)/0.3262) / (2π·1.5) = 0.2618,
    (72 + 32) K / 3.2137 = 32.36 W/m; × 2,400 m = 77.7 kW of a 10 MW flow = 0.78 %."""
    big = _to_district_heating(_out("heat_medium_50_90c", 87_600, "MWh/yr", temperature_c=80))
    small = _to_district_heating(_out("heat_medium_50_90c", 876, "MWh/yr", temperature_c=80))
    d = math.sqrt(4 * (10.0 * 3.6e6 / (4.19 * 40.0) / 972.0 / 3600.0) / (math.pi * 2.0))
    r_ins = math.log(1.65) / (2 * math.pi * 0.027)
    r_soil = math.log(4 * (0.8 + 1.65 * d / 2) / (1.65 * d)) / (2 * math.pi * 1.5)
    loss_w_per_m = 104.0 / (r_ins + r_soil)
    assert loss_w_per_m == pytest.approx(32.36, abs=0.05)
    assert big.delivery_factor == pytest.approx(1.0 - loss_w_per_m * 2400.0 / 10e6, rel=1e-6)
    assert 1.0 - small.delivery_factor > 5 * (1.0 - big.delivery_factor)


def test_the_heat_pump_buys_electricity_where_it_stands_at_the_receiver() -> None:
    """Giver in Finland, receiver in Germany: the pump runs on German electricity (192.2 €/MWh)."""
    ds = _dataset(
        "FI",
        [_out("heat_low_lt_50c", 8760, "MWh/yr", temperature_c=24.5)],
        [_in("heat_medium_50_90c", 50_000, "MWh/yr")],
    )
    de = Territory(id="de", name="Germany", level="country", code="DE")
    sites = [ds.sites[0], ds.sites[1].model_copy(update={"territory_id": "de"})]
    ds = Dataset(
        territories=[*ds.territories, de], firms=ds.firms, sites=sites, outputs=ds.outputs, inputs=ds.inputs
    )
    cop = 0.45 * 353.15 / 55.5
    assert _pair(ds).variable_cost_eur_per_unit == pytest.approx(0.012 + 192.2 / (cop - 1.0), rel=1e-6)


def test_heat_loss_is_a_share_of_the_mean_flow_not_the_peak() -> None:
    """A winter-only source: same peak as a flat 10 MW one, half the heat a year, so twice the
    loss share (a buried pipe loses the same power all year)."""
    flat = _to_district_heating(_out("heat_medium_50_90c", 87_600, "MWh/yr", temperature_c=80))
    winter = _out("heat_medium_50_90c", 43_800, "MWh/yr", temperature_c=80).model_copy(
        update={"monthly_profile": (1 / 6,) * 3 + (0.0,) * 6 + (1 / 6,) * 3}
    )
    seasonal = _to_district_heating(winter)
    assert seasonal.fixed_cost_eur_per_yr == pytest.approx(flat.fixed_cost_eur_per_yr, rel=1e-9)
    assert 1.0 - seasonal.delivery_factor == pytest.approx(2.0 * (1.0 - flat.delivery_factor), rel=1e-6)


def _in_req(res: str, qty: float, unit: str, **req: float) -> InputDeclaration:
    from symbiosis.domain.declarations import QualityRequirement

    return _in(res, qty, unit).model_copy(update={"requirement": QualityRequirement(**req)})


@pytest.mark.parametrize(("t_source", "viable"), [(85.0, True), (84.9, False)])
def test_a_heat_exchanger_needs_its_approach_above_the_inputs_minimum(t_source: float, viable: bool) -> None:
    """Input needs 80 °C; through a heat exchanger with a 5 K approach the source needs 85 °C."""
    ds = _dataset(
        "FI",
        [_out("heat_medium_50_90c", 8760, "MWh/yr", temperature_c=t_source)],
        [_in_req("heat_medium_50_90c", 50_000, "MWh/yr", min_temperature_c=80.0)],
    )
    c = _pair(ds)
    assert c.viable is viable
    (check,) = [ch for ch in c.checks if ch.name == "temperature"]
    assert check.required == 85.0 and "5 K heat-exchanger approach" in check.detail


@pytest.mark.parametrize(("receiver_return_c", "share"), [(60.0, 0.625), (40.0, 1.0), (85.0, 0.0)])
def test_the_receivers_return_limits_how_far_the_source_is_cooled(
    receiver_return_c: float, share: float
) -> None:
    """Source 90 → 50 °C declared (8,760 MWh); the receiver's water returns at T_rr, so the source
    can be cooled to T_rr + 5 K only: share = (90 − (T_rr + 5)) / (90 − 50), e.g. 25/40 = 0.625."""
    out = _out("heat_high_gt_90c", 8760, "MWh/yr", temperature_c=90.0, return_temperature_c=50.0)
    ds = _dataset(
        "FI", [out], [_in_req("heat_high_gt_90c", 1e6, "MWh/yr", return_temperature_c=receiver_return_c)]
    )
    c = _pair(ds)
    assert c.exchangeable_qty_per_yr == pytest.approx(8760 * share, rel=1e-9)
    assert c.viable is (share > 0)


def test_a_declared_peak_and_return_size_the_pipe() -> None:
    """10 MW mean, 20 MW declared peak, 80 → 60 °C: Q = 20 × 3.6e6 / (4.19 × 20) / 972 / 3600 m³/s."""
    out = _out(
        "heat_medium_50_90c", 87_600, "MWh/yr", temperature_c=80.0, return_temperature_c=60.0
    ).model_copy(update={"peak_mw": 20.0})
    c = _to_district_heating(out)
    d = math.sqrt(4 * (20.0 * 3.6e6 / (4.19 * 20.0) / 972.0 / 3600.0) / (math.pi * 2.0))
    assert c.fixed_cost_eur_per_yr == pytest.approx(
        (214.0 + 1725.0 * d) * 1000.0 * 2.4 * (CRF_5PCT_40YR + 0.015), rel=1e-6
    )


@pytest.mark.parametrize(
    ("resource", "qty", "unit", "peak", "expected"),
    [
        ("heat_medium_50_90c", 87_600, "MWh/yr", 9.99, "at least the busiest month's mean power (10 MW)"),
        ("steam", 1000, "t/yr", 5.0, "no peak_mw: it applies to heat in MWh, not t"),
    ],
)
def test_a_peak_below_the_mean_or_on_tonnes_is_refused(resource, qty, unit, peak, expected) -> None:  # noqa: ANN001
    from symbiosis.errors import InvalidInput

    out = _out(resource, qty, unit, temperature_c=90.0).model_copy(update={"peak_mw": peak})
    with pytest.raises(InvalidInput) as err:
        build_tables(_dataset("FI", [out], [_in(resource, qty, unit)]), load_knowledge_base())
    (issue,) = err.value.issues
    assert issue.field == "peak_mw" and issue.value == peak and issue.expected == expected


def test_a_peak_equal_to_the_mean_is_accepted() -> None:
    out = _out("heat_medium_50_90c", 87_600, "MWh/yr", temperature_c=90.0).model_copy(
        update={"peak_mw": 10.0}
    )
    build_tables(_dataset("FI", [out], [_in("heat_medium_50_90c", 1e6, "MWh/yr")]), load_knowledge_base())


@pytest.mark.parametrize(("country", "co2"), [("FI", 149.0), ("FR", 107.0), ("DK", 261.59), ("DE", 261.59)])
def test_district_heat_displaced_is_the_countrys_where_published(country: str, co2: float) -> None:
    """Finnish networks averaged 149 kg CO2/MWh (Finnish Energy, 2017), French ones 107 (SNCU national
    survey, 2019); Denmark and Germany have no transcribed figure and keep the gas boiler of
    resources.csv (261.59)."""
    ds = _dataset(
        country,
        [_out("heat_medium_50_90c", 8760, "MWh/yr", temperature_c=90.0)],
        [_in("heat_medium_50_90c", 50_000, "MWh/yr")],
    )
    assert _pair(ds).avoided_supply_co2_kg_per_unit == pytest.approx(co2)


def test_a_site_keeps_its_countrys_factors_when_the_dataset_is_restricted_to_a_region() -> None:
    """Restricting Finland to one municipality keeps the parent chain up to the country, as the
    graph's export does, so the site still uses Finnish factors, not the EU row."""
    terr = [
        Territory(id="fi", name="Finland", level="country", code="FI"),
        Territory(id="fi-ely", name="ELY", level="region", parent_id="fi"),
        Territory(id="fi-mun", name="Raahe", level="municipality", parent_id="fi-ely"),
    ]
    ds = _dataset("FI", [_out("steam", 10_000, "t/yr", temperature_c=180)], [_in("steam", 10_000, "t/yr")])
    sites = [s.model_copy(update={"territory_id": "fi-mun"}) for s in ds.sites]
    ds = Dataset(territories=terr, firms=ds.firms, sites=sites, outputs=ds.outputs, inputs=ds.inputs)
    small = ds.restricted_to("fi-mun")
    assert {t.id for t in small.territories} == {"fi", "fi-ely", "fi-mun"}
    assert _pair(small).avoided_disposal_eur_per_unit == pytest.approx(-0.178 * 67.4)


def test_the_heat_columns_survive_the_graph_store_rows() -> None:
    """What the graph writes for a declaration reads back with its peak and return temperatures."""
    from symbiosis.graph.rows import input_from, input_row, output_from, output_row

    out = _out("heat_high_gt_90c", 8760, "MWh/yr", temperature_c=90.0, return_temperature_c=50.0)
    out = out.model_copy(update={"peak_mw": 2.5})
    inp = _in_req("heat_high_gt_90c", 8760, "MWh/yr", return_temperature_c=45.0)
    assert output_from(output_row(out)["props"], "a") == out
    back = input_from(input_row(inp)["props"], "b")
    assert back == inp and back.requirement.return_temperature_c == 45.0
