"""A plan's narrative on the national headings, the documents made from it (the narrative plan in
Word, in an organisation's own template; the intermediate care capacity and demand plan) and the
urgent and emergency care priorities its schemes support."""
