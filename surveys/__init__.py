"""The annual Regional Committee evaluation survey: templates with stable question codes,
yearly campaigns per region, token links without accounts, anonymous responses, results,
year-over-year and national comparisons, exports."""
