"""The Leicester, Leicestershire and Rutland demo: data files and their loader."""
