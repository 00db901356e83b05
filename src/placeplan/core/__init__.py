"""Pure building blocks shared by every domain package: errors, periods, codes, money. No IO here."""
