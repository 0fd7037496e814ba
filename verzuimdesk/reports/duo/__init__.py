"""Files for DUO: the verzuimmelding (XML, form, text) and the aggregated absence figures."""
