"""OWES registry, indicator catalogue, action plans, reported values, progress, XLSX import
and export, evaluation studies with their consultation rounds and recommendations."""
