"""Pure rules of the narrative: its headings, the text a block holds, versions' differences and
the placeholders a Word template may use."""
