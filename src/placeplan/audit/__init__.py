"""The audit history of any record, read by people: a page, a CSV and JSON over store.audit."""
