"""Build `datasets/finland_eprtr/` from the Finnish E-PRTR extract: ``python -m symbiosis.prefill.eprtr``.

Reads the verbatim SYKE/EEA files in `datasets/finland_eprtr/source/` and the activity mapping
table beside them, and writes the dataset CSVs (docs/DATA_FORMAT.md) with `write_dataset`. The
build is deterministic: rerunning it reproduces the committed files byte for byte, which the tests
check, so a change to the mapping table shows up as a reviewable diff of the dataset.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from symbiosis import DATASETS_DIR
from symbiosis.domain.dataset import Dataset
from symbiosis.knowledge import KnowledgeBase
from symbiosis.prefill.declarations import declarations_for
from symbiosis.prefill.eprtr_source import read_air_releases, read_facilities, read_waste
from symbiosis.prefill.identities import build_identities, site_id
from symbiosis.prefill.mapping import MappingRow, read_mapping
from symbiosis.prefill.nace import activities_by_firm, assign_nace_codes, read_nace_mapping

DATASET_DIR = DATASETS_DIR / "finland_eprtr"
SOURCE_DIR = DATASET_DIR / "source"
MAPPING_PATH = DATASET_DIR / "activity_mapping.csv"
NACE_MAPPING_PATH = DATASET_DIR / "nace_mapping.csv"


def check_mapping_resources(mapping: list[MappingRow], kb: KnowledgeBase) -> None:
    """Every resource the table names must exist in the knowledge base (fails with the row id)."""
    for row in mapping:
        kb.resource(row.resource_code)


def build_dataset(
    kb: KnowledgeBase,
    source_dir: Path = SOURCE_DIR,
    mapping_path: Path = MAPPING_PATH,
    nace_mapping_path: Path = NACE_MAPPING_PATH,
) -> Dataset:
    """The whole Finnish dataset: sites for every facility, prefilled declarations for working ones,
    and a NACE code for every firm whose facilities' Annex I activities determine one."""
    mapping = read_mapping(mapping_path)
    check_mapping_resources(mapping, kb)
    nace_mapping = read_nace_mapping(nace_mapping_path, kb)
    facilities = read_facilities(source_dir)
    waste = read_waste(source_dir)
    releases = read_air_releases(source_dir)
    ids = build_identities(facilities)
    firm_of_site = {s.id: s.firm_id for s in ids.sites}
    activities = activities_by_firm((firm_of_site[site_id(f)], f.activity_code) for f in facilities)
    nace_file = f"datasets/finland_eprtr/{nace_mapping_path.name}"
    firms = assign_nace_codes(ids.firms, activities, nace_mapping, kb, nace_file)
    dataset = Dataset(territories=ids.territories, firms=firms, sites=ids.sites)
    for f in facilities:
        outs, ins = declarations_for(f, mapping, kb, waste.get(f.inspire_id), releases.get(f.inspire_id))
        dataset.outputs.extend(outs)
        dataset.inputs.extend(ins)
    dataset.outputs.sort(key=lambda d: d.id)
    dataset.inputs.sort(key=lambda d: d.id)
    return dataset


def main(argv: list[str] | None = None) -> int:
    from symbiosis.dataset_io import write_dataset
    from symbiosis.knowledge import load_knowledge_base

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DATASET_DIR, help="folder to write the dataset CSVs into")
    args = parser.parse_args(argv)
    dataset = build_dataset(load_knowledge_base())
    write_dataset(dataset, args.out)
    counts = ", ".join(f"{k} {v:,}" for k, v in dataset.counts().items())
    print(f"wrote {args.out}: {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
