"""The contents of an overview as simple HTML, for the preview when Qt PDF is not installed.

Made from the same data as the PDF (:mod:`verzuimdesk.reports.data`), so the numbers are the same.
"""

from __future__ import annotations

from html import escape

from verzuimdesk.model.calendar import WEEKDAY_NAMES
from verzuimdesk.model.figures import format_hours
from verzuimdesk.reports.data import TIER_NAMES, GroupOverview, PupilOverview, format_pct


def _table(head: list[str], rows: list[list[str]]) -> str:
    th = "".join(f"<th align='left'>{escape(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table cellspacing='0' cellpadding='3' border='0'><tr style='background:#DCE6F2'>{th}</tr>{body}</table>"


def pupil_html(d: PupilOverview) -> str:
    f = d.figures
    parts = [
        f"<h2>{escape(d.pupil_name)} · {escape(d.group_name)}</h2>",
        f"<p>{escape(d.period.title)}</p>",
        f"<p><b>Aanwezig {format_pct(f.present_pct)} van de lestijd</b> — afwezig {format_pct(f.absent_pct)} "
        f"(geoorloofd {format_pct(f.authorised_pct)}, ongeoorloofd {format_pct(f.unauthorised_pct)}); "
        f"{escape(d.tier.label)}.</p>",
        "<h3>Uren per categorie</h3>",
        _table(["Categorie", "Uren", "% lestijd"],
               [[c.label, format_hours(c.minutes), format_pct(c.pct) if c.pct is not None else ""]
                for c in d.categories]),
        "<h3>Uren per reden</h3>",
        _table(["Reden", "Categorie", "Lessen", "Uren"],
               [[f"{r.code} – {r.name}" if r.code else r.name, r.category, str(r.times), format_hours(r.minutes)]
                for r in d.reasons]) if d.reasons else "<p>Geen afwezigheid geregistreerd.</p>",
        "<h3>Per weekdag</h3>",
        _table(["Dag", "Uren afwezig", "% lestijd"],
               [[WEEKDAY_NAMES[w.weekday], format_hours(w.figures.absent), format_pct(w.figures.absent_pct)]
                for w in d.weekdays]),
        f"<h3>Verlof, meldingen, contacten</h3><p>{len(d.leave)} verlofaanvragen, {len(d.meldingen)} meldingen, "
        f"{len(d.signals)} signalen, {len(d.contacts)} contacten, {len(d.interventions)} afspraken/aanpak.</p>",
    ]  # fmt: skip
    return "".join(parts)


def group_html(d: GroupOverview) -> str:
    f = d.total
    tiers = ", ".join(f"niveau {lv} ({TIER_NAMES[lv]}): {d.tier_counts.get(lv, 0)}" for lv in (1, 2, 3))
    rows = [[p.name if d.include_names else p.key, p.group, format_hours(p.figures.authorised),
             format_hours(p.figures.unauthorised), format_pct(p.figures.absent_pct), str(p.tier.level)]
            for p in d.pupils[:400]]  # fmt: skip
    return "".join([
        f"<h2>{escape(d.title)}</h2><p>{escape(d.period.title)}</p>",
        f"<p><b>{len(d.pupils)} leerlingen · afwezig {format_pct(f.absent_pct)}</b> (geoorloofd "
        f"{format_hours(f.authorised)} uur, ongeoorloofd {format_hours(f.unauthorised)} uur)</p>",
        f"<p>{escape(tiers)}</p>",
        _table(["Leerling", "Groep", "Geoorl. (uur)", "Ongeoorl. (uur)", "Afwezig", "Niveau"], rows),
    ])  # fmt: skip
