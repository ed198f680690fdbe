"""The Streamlit dashboard: thin pages over small, tested modules (data, charts, network, i18n).

Run it with ``symbiosis dashboard``; pages live in ``dashboard/views``, the shared sidebar in
``dashboard/frame.py``. See docs/DASHBOARD.md.
"""
