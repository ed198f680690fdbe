"""Prefill: estimated declarations inferred from open data (E-PRTR), each traceable to its figure
and to the mapping-table row that turned it into a by-product or a need — see docs/PREFILL.md."""
