"""The documents figures come from, so every figure can say where it was read."""
