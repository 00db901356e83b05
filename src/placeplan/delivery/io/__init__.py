"""The delivery file formats: the tracker workbook (layout, write, read) and the report documents."""
