"""The register: absence entries, each pupil's timetable, figures, tiers and the register view."""
