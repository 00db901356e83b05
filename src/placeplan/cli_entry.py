"""`python -m placeplan.cli_entry` runs the command without the installed script (used in tests)."""

from placeplan.cli import main

if __name__ == "__main__":
    main()
