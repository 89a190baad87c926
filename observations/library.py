"""The look-for library: templates kept by the district and by each school, their changes,
and the JSON a district shares them in.

A template is never graded: its look-fors describe what would be seen, and the JSON format
refuses any rating, scale or score a file from elsewhere may bring.
"""

import json

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.text import multi_line_problem, one_line_problem
from core.locking import lock
from core.translated import translations_from

from .models import LookFor, LookForTemplate

FORMAT = "tandem-look-fors"
FORMAT_VERSION = 1
MAX_LOOK_FORS = 60
MAX_FILE_BYTES = 200_000
# Words a file from an evaluation framework brings, in whatever case or compound
# ("Rating", "rating_scale", "points"); Tandem keeps none of them.
EVALUATIVE = ("rating", "score", "scale", "level", "rubric", "point", "weight", "grade", "mark")
FIELDS = {
    "template": {"format", "format_version", "name", "description", "version", "sections"},
    "section": {"name", "look_fors"},
    "look-for": {"description", "counted", "prompt"},
}


def _one_line(value) -> str:
    return " ".join(str(value or "").split())


def _clean_row(row: dict) -> dict:
    return {
        "section": _one_line(row.get("section")),
        "description": _one_line(row.get("description")),
        "counted": bool(row.get("counted")),
        "prompt": _one_line(row.get("prompt")),
        # Its words in other languages, from the editor (`description_es`, ...) or as kept.
        "translations": row.get("translations") or translations_from(row, LookFor.TRANSLATED),
    }


def _text_problem(value: str, most: int, *, one_line=True) -> str | None:
    """Why a text cannot be kept, or None: too long, a control character, or a lone half of
    a character pair (which a JSON file can spell, and no database can store)."""
    if len(value) > most:
        return _("keep it under %(most)d characters") % {"most": most}
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return _("it holds characters that cannot be stored")
    if problem := (one_line_problem if one_line else multi_line_problem)(value):
        return problem[0].lower() + problem[1:].rstrip(".")
    return None


def _check_rows(rows: list[dict], places: list[str] | None = None) -> list[str]:
    places = places or [
        _("Look-for %(number)d") % {"number": number} for number in range(1, len(rows) + 1)
    ]
    errors = []
    if not rows:
        errors.append(_("Add at least one look-for."))
    if len(rows) > MAX_LOOK_FORS:
        errors.append(_("A template holds up to %(most)d look-fors.") % {"most": MAX_LOOK_FORS})
    # Where a look-for's field has a problem, e.g. "Look-for 2, section: keep it under 80
    # characters." The description's own needs no word of ours, so it has no message id:
    # one made of placeholders and a comma would match any sentence in any language.
    field_problems = {
        "description": "%(where)s, %(problem)s.",
        "section": _("%(where)s, section: %(problem)s."),
        "prompt": _("%(where)s, prompt: %(problem)s."),
    }
    seen = set()
    for where, row in zip(places, rows, strict=True):
        if not row["description"]:
            errors.append(_("%(where)s: describe what would be seen.") % {"where": where})
        elif row["description"].lower() in seen:
            errors.append(
                _("%(where)s: “%(description)s” is already in the template.")
                % {"where": where, "description": row["description"]}
            )
        seen.add(row["description"].lower())
        for field, most in (("description", 200), ("section", 80), ("prompt", 200)):
            problem = _text_problem(row[field], most)
            if problem:
                errors.append(field_problems[field] % {"where": where, "problem": problem})
    return errors


@transaction.atomic
def look_for_template_save(
    *,
    actor,
    template: LookForTemplate,
    name: str,
    description: str,
    rows: list[dict],
    places: list[str] | None = None,
    translations: dict | None = None,
) -> LookForTemplate:
    """Save a template with these look-fors, in this order. A change raises its version;
    observations made with the old one keep their own copy of its words. `places` names
    each row in an error message (an import says where in its file)."""
    name = _one_line(name)
    description = description.strip()
    rows = [_clean_row(row) for row in rows]
    errors = _check_rows(rows, places)
    if not name:
        errors.insert(0, _("Name the template."))
    elif problem := _text_problem(name, 80):
        errors.insert(0, _("Name: %(problem)s.") % {"problem": problem})
    if problem := _text_problem(description, 2000, one_line=False):
        errors.insert(0, _("Description: %(problem)s.") % {"problem": problem})
    if errors:
        raise ValidationError(errors)
    # One save at a time per district's library, so two of one name (a double import, two
    # tabs) are seen here instead of failing on the unique name as a 500.
    lock(template.district, "name")
    same_name = LookForTemplate.objects.filter(
        district=template.district, school=template.school, name__iexact=name
    ).exclude(pk=template.pk)
    if same_name.exists():
        errors.insert(
            0, _("The library already has a template called “%(name)s”.") % {"name": name}
        )
    if errors:
        raise ValidationError(errors)
    if template.pk:
        lock(template, "version")
        before = template_as_json(template)
    template.name, template.description = name, description
    if template.pk:
        after = {
            **before,
            "name": name,
            "description": template.description,
            "sections": _sections(rows),
        }
        words_before = [template.translations, [f.translations for f in template.look_fors.all()]]
        words_after = [translations or {}, [row["translations"] for row in rows]]
        if after == before and words_after == words_before:
            return template
        template.version += 1
    template.translations = translations or {}
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
         "prompt": f.prompt, "translations": f.translations}
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


def _unknown_fields(where: str, item: dict, kind: str) -> list[str]:
    """The fields of `item` Tandem does not know, each refused; `where` names the item in
    the file ("Section 2, look-for 3"), or is empty for the template itself."""
    errors = []
    for key in sorted(set(item) - FIELDS[kind], key=str):
        if any(word in str(key).lower() for word in EVALUATIVE):
            message = (
                _("%(where)s, “%(key)s”: Tandem keeps no ratings, scales or scores.")
                if where
                else _("“%(key)s”: Tandem keeps no ratings, scales or scores.")
            )
        else:
            message = (
                _("%(where)s, “%(key)s” is not part of a look-for template.")
                if where
                else _("“%(key)s” is not part of a look-for template.")
            )
        errors.append(message % {"where": where, "key": key})
    return errors


def _rows_from_json(data) -> tuple[str, str, list[dict], list[str]]:
    """Read a shared template, or raise every problem found, each saying where it is. A
    field Tandem does not know is refused rather than dropped: a rating never slips in."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValidationError(
            _("This is not a Tandem look-for template (its “format” is not “%(format)s”).")
            % {"format": FORMAT}
        )
    version = data.get("format_version", FORMAT_VERSION)
    if not isinstance(version, int) or isinstance(version, bool) or version > FORMAT_VERSION:
        raise ValidationError(
            _(
                "This file was made by a newer Tandem (format version %(version)s): update "
                "Tandem, or export the template again from an older one."
            )
            % {"version": version}
        )
    errors = _unknown_fields("", data, "template")
    sections = data.get("sections")
    if not isinstance(sections, list):
        raise ValidationError([*errors, _("“sections” must be a list.")])
    rows, places = [], []
    for s_number, section in enumerate(sections, 1):
        where = _("Section %(number)d") % {"number": s_number}
        if not isinstance(section, dict) or not isinstance(section.get("look_fors"), list):
            errors.append(
                _("%(where)s: needs a “name” and a list of “look_fors”.") % {"where": where}
            )
            continue
        errors += _unknown_fields(where, section, "section")
        if not isinstance(section.get("name", ""), str):
            errors.append(_("%(where)s: its “name” must be text.") % {"where": where})
        for l_number, item in enumerate(section["look_fors"], 1):
            place = _("Section %(section)d, look-for %(number)d") % {
                "section": s_number,
                "number": l_number,
            }
            if not isinstance(item, dict):
                errors.append(
                    _("%(where)s: must be an object with a “description”.") % {"where": place}
                )
                continue
            errors += _unknown_fields(place, item, "look-for")
            if not isinstance(item.get("counted", False), bool):
                errors.append(_("%(where)s: “counted” is true or false.") % {"where": place})
            for key in ("description", "prompt"):
                if not isinstance(item.get(key, ""), str):
                    errors.append(
                        _("%(where)s: its “%(key)s” must be text.") % {"where": place, "key": key}
                    )
            rows.append({**item, "section": section.get("name", "")})
            places.append(place)
    name, description = data.get("name"), data.get("description") or ""
    if not isinstance(name, str) or not name.strip():
        errors.insert(0, _("“name”: the template needs a name."))
    if not isinstance(description, str):
        errors.insert(0, _("“description” must be text."))
    if errors:
        raise ValidationError(errors)
    return name, description, rows, places


def _refuse_constant(name):
    raise ValueError(f"{name} is not a number JSON allows")


def look_for_template_import(*, actor, district, school, upload) -> LookForTemplate:
    """Add a shared template to the library: all of it, or nothing with every error listed."""
    if upload.size > MAX_FILE_BYTES:
        raise ValidationError(_("The file is too large for a look-for template (200 KB at most)."))
    try:
        data = json.loads(upload.read().decode("utf-8-sig"), parse_constant=_refuse_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ValidationError(
            _("The file is not JSON: export a template from Tandem and try that.")
        ) from None
    name, description, rows, places = _rows_from_json(data)
    return look_for_template_save(
        actor=actor,
        template=LookForTemplate(district=district, school=school),
        name=name,
        description=description,
        rows=rows,
        places=places,
    )
