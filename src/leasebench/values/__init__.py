"""Values, below every feature: field values put in canonical form (``normalize``,
``typed_text``), the comparison keys built from them (``keys``), and file cells read as
label values (``labels``). The data reader, the data card and the scorer all use them, so
a value is read and compared one way everywhere."""
