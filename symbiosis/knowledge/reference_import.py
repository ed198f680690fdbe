"""Regenerate the code lists of the knowledge base from the raw open-data files it ships.

`ewc_codes.csv` and `nace_rev2_1.csv` are copies of public classifications; keeping the copy step
as code means a new release of either list is one command away, and the EWC → resource mapping
has a single source of truth: the ``ewc_codes`` column of ``resources.csv``.

    python -m symbiosis.knowledge.reference_import datasets/knowledge/source datasets/knowledge
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

EWC_SOURCE_FILE = "ewc_list_of_waste_defra.csv"
NACE_SOURCE_FILE = "nace_rev2_1_naceconverter.csv"
EWC_SOURCE = (
    "EU List of Waste, Commission Decision 2000/532/EC as amended by 2014/955/EU; "
    "via DEFRA waste-movement-external-api ewc-codes.js (OGL v3)"
)
NACE_SOURCE = "NACE Rev. 2.1 (Eurostat, CC BY 4.0); via PyPI naceconverter 1.0.1 nacecodes.csv"


def format_ewc(raw_code: str, hazardous: bool) -> str:
    """'100102' → '10 01 02'; hazardous entries carry the List of Waste's asterisk."""
    code = f"{raw_code[0:2]} {raw_code[2:4]} {raw_code[4:6]}"
    return code + "*" if hazardous else code


def ewc_to_resource(resources_csv: Path) -> dict[str, str]:
    mapping: dict[str, str] = {}
    with resources_csv.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            for code in filter(None, (c.strip() for c in row["ewc_codes"].split(";"))):
                if code in mapping:
                    raise ValueError(f"EWC code {code} is claimed by {mapping[code]} and {row['code']}")
                mapping[code] = row["code"]
    return mapping


def write_ewc(reference_dir: Path, knowledge_dir: Path) -> int:
    mapping = ewc_to_resource(knowledge_dir / "resources.csv")
    rows = []
    with (reference_dir / EWC_SOURCE_FILE).open(newline="", encoding="utf-8") as fh:
        for rec in csv.DictReader(fh):
            hazardous = rec["isHazardous"].strip().lower() == "true"
            code = format_ewc(rec["code"].strip(), hazardous)
            rows.append(
                {
                    "code": code,
                    "hazardous": "true" if hazardous else "false",
                    "description": rec["description"].strip(),
                    "chapter": rec["chapter"].strip(),
                    "resource_code": mapping.pop(code, ""),
                    "source": EWC_SOURCE,
                }
            )
    if mapping:
        raise ValueError(f"resources.csv names EWC codes absent from the List of Waste: {sorted(mapping)}")
    _write(knowledge_dir / "ewc_codes.csv", rows)
    return len(rows)


def write_nace(reference_dir: Path, knowledge_dir: Path) -> int:
    rows = []
    with (reference_dir / NACE_SOURCE_FILE).open(newline="", encoding="utf-8") as fh:
        for rec in csv.DictReader(fh, delimiter=";"):
            level = int(rec["level"])
            if level > 4:  # level 5 is Norway's SN2025 national sub-classes, not NACE
                continue
            rows.append(
                {
                    "code": rec["code"].strip(),
                    "level": str(level),
                    "name": rec["name"].strip(),
                    "parent_code": (rec["parentCode"] or "").strip(),
                    "source": NACE_SOURCE,
                }
            )
    _write(knowledge_dir / "nace_rev2_1.csv", rows)
    return len(rows)


def _write(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(argv: list[str]) -> None:
    reference_dir, knowledge_dir = Path(argv[0]), Path(argv[1])
    n_ewc = write_ewc(reference_dir, knowledge_dir)
    n_nace = write_nace(reference_dir, knowledge_dir)
    print(f"wrote {n_ewc} EWC codes and {n_nace} NACE codes to {knowledge_dir}")


if __name__ == "__main__":
    main(sys.argv[1:])
