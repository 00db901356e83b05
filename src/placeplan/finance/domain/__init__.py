"""The financial model's pure parts: its inputs and their checks (`model`), the calculation
(`compute`), the editable fields (`fields`), sensitivity and range runs (`sensitivity`) and
need-weighted allocation (`allocation`)."""
