"""Regional and national assurance of every plan in scope, and comparisons across areas."""
