"""The demo's financial model: the LLR system's medium-term financial plan (seed 003, Tables 17
to 19), attached to the demo's Five-Year Plan through the finance service."""

from __future__ import annotations

from pathlib import Path

DEMO_FILE = Path(__file__).with_name("data") / "finance_llr.yaml"
