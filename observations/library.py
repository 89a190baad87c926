"""The look-for library: templates kept by the district and by each school, their changes,
and the JSON a district shares them in.

A template is never graded: its look-fors describe what would be seen, and the JSON format
refuses any rating, scale or score a file from elsewhere may bring.
"""

import json

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .models import LookFor, LookForTemplate

FORMAT = "tandem-look-fors"
FORMAT_VERSION = 1
MAX_LOOK_FORS = 60
MAX_FILE_BYTES = 200_000
# Words a file from an evaluation framework brings; Tandem keeps none of them.
EVALUATIVE = {"rating", "ratings", "score", "scores", "scale", "level", "levels", "rubric"}


def _clean_row(row: dict) -> dict:
    return {
        "section": " ".join(str(row.get("section") or "").split())[:80],
        "description": " ".join(str(row.get("description") or "").split()),
        "counted": bool(row.get("counted")),
        "prompt": " ".join(str(row.get("prompt") or "").split()),
    }


def _check_rows(rows: list[dict]) -> list[str]:
    errors = []
    if not rows:
        errors.append("Add at least one look-for.")
    if len(rows) > MAX_LOOK_FORS:
        errors.append(f"A template holds up to {MAX_LOOK_FORS} look-fors.")
    seen = set()
    for number, row in enumerate(rows, 1):
        where = f"Look-for {number}"
        if not row["description"]:
            errors.append(f"{where}: describe what would be seen.")
        elif len(row["description"]) > 200:
            errors.append(f"{where}: keep it under 200 characters.")
        elif row["description"].lower() in seen:
            errors.append(f"{where}: “{row['description']}” is already in the template.")
        seen.add(row["description"].lower())
        if len(row["prompt"]) > 200:
            errors.append(f"{where}: keep the prompt under 200 characters.")
    return errors


@transaction.atomic
def look_for_template_save(
    *, actor, template: LookForTemplate, name: str, description: str, rows: list[dict]
) -> LookForTemplate:
    """Save a template with these look-fors, in this order. A change raises its version;
    observations made with the old one keep their own copy of its words."""
    name = " ".join(name.split())
    rows = [_clean_row(row) for row in rows]
    errors = _check_rows(rows)
    if not name:
        errors.insert(0, "Name the template.")
    same_name = LookForTemplate.objects.filter(
        district=template.district, school=template.school, name__iexact=name
    ).exclude(pk=template.pk)
    if name and same_name.exists():
        errors.insert(0, f"The library already has a template called “{name}”.")
    if errors:
        raise ValidationError(errors)
    if template.pk:
        LookForTemplate.objects.select_for_update().filter(pk=template.pk).get()
        before = template_as_json(template)
    template.name, template.description = name, description.strip()
    if template.pk:
        after = {
            **before,
            "name": name,
            "description": template.description,
            "sections": _sections(rows),
        }
        if after == before:
            return template
        template.version += 1
    template.changed_at = timezone.now()
    template.full_clean()
    template.save()
    # A look-for whose words stay keeps its row, so a teacher's pick of it stays ticked.
    kept = {f.description.lower(): f for f in template.look_fors.all()}
    staying = [kept[r["description"].lower()].pk for r in rows if r["description"].lower() in kept]
    template.look_fors.exclude(pk__in=staying).delete()
    for position, row in enumerate(rows, 1):
        look_for = kept.get(row["description"].lower()) or LookFor(template=template)
        for field, value in {**row, "position": position}.items():
            setattr(look_for, field, value)
        look_for.save()
    return template


def _sections(rows) -> list[dict]:
    sections = []
    for row in rows:
        if not sections or sections[-1]["name"] != row["section"]:
            sections.append({"name": row["section"], "look_fors": []})
        sections[-1]["look_fors"].append(
            {key: row[key] for key in ("description", "counted", "prompt")}
        )
    return sections


def template_rows(template: LookForTemplate) -> list[dict]:
    """Its look-fors in order, as the editor and `look_for_template_save` take them."""
    return [
        {"section": f.section, "description": f.description, "counted": f.counted,
         "prompt": f.prompt}
        for f in template.look_fors.all()
    ]  # fmt: skip


def template_as_json(template: LookForTemplate) -> dict:
    """The template in the shared format: what another district imports."""
    rows = template_rows(template)
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "name": template.name,
        "description": template.description,
        "version": template.version,
        "sections": _sections(rows),
    }


def _rows_from_json(data) -> tuple[str, str, list[dict]]:
    """Read a shared template, or raise every problem found, each saying where it is."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValidationError(
            f"This is not a Tandem look-for template (its “format” is not “{FORMAT}”)."
        )
    errors = []
    for key in EVALUATIVE & set(data):
        errors.append(f"“{key}”: Tandem keeps no ratings, scales or scores. Remove it to import.")
    sections = data.get("sections")
    if not isinstance(sections, list):
        raise ValidationError([*errors, "“sections” must be a list."])
    rows = []
    for s_number, section in enumerate(sections, 1):
        where = f"Section {s_number}"
        if not isinstance(section, dict) or not isinstance(section.get("look_fors"), list):
            errors.append(f"{where}: needs a “name” and a list of “look_fors”.")
            continue
        for key in EVALUATIVE & set(section):
            errors.append(f"{where}, “{key}”: Tandem keeps no ratings, scales or scores.")
        for l_number, item in enumerate(section["look_fors"], 1):
            if not isinstance(item, dict):
                errors.append(
                    f"{where}, look-for {l_number}: must be an object with a “description”."
                )
                continue
            for key in EVALUATIVE & set(item):
                errors.append(
                    f"{where}, look-for {l_number}, “{key}”: "
                    "Tandem keeps no ratings, scales or scores."
                )
            if not isinstance(item.get("counted", False), bool):
                errors.append(f"{where}, look-for {l_number}: “counted” is true or false.")
            rows.append({**item, "section": section.get("name", "")})
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        errors.insert(0, "“name”: the template needs a name.")
    if errors:
        raise ValidationError(errors)
    return name, str(data.get("description") or ""), rows


def look_for_template_import(*, actor, district, school, upload) -> LookForTemplate:
    """Add a shared template to the library: all of it, or nothing with every error listed."""
    if upload.size > MAX_FILE_BYTES:
        raise ValidationError("The file is too large for a look-for template (200 KB at most).")
    try:
        data = json.loads(upload.read().decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise ValidationError(
            "The file is not JSON: export a template from Tandem and try that."
        ) from None
    name, description, rows = _rows_from_json(data)
    return look_for_template_save(
        actor=actor,
        template=LookForTemplate(district=district, school=school),
        name=name,
        description=description,
        rows=rows,
    )
