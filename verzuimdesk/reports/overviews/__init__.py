"""Per-pupil, group and school overviews as PDF and XLSX, singly and in batches."""
