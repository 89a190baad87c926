"""Demo people and places. Every step looks up before it creates, so it can run again."""

import datetime
import unicodedata
from dataclasses import dataclass

from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import District, Membership, School, Term, User

Role = Membership.Role

DISTRICT = "Riverside Unified"
SCHOOLS = ["Riverside Elementary", "Hillcrest Middle School"]
TIME_ZONE = "America/Los_Angeles"
TERMS = [
    ("Fall 2025", datetime.date(2025, 8, 18), datetime.date(2025, 12, 19)),
    ("Spring 2026", datetime.date(2026, 1, 7), datetime.date(2026, 6, 12)),
    ("Fall 2026", datetime.date(2026, 8, 17), datetime.date(2026, 12, 18)),
    ("Spring 2027", datetime.date(2027, 1, 6), datetime.date(2027, 6, 11)),
]
# (e-mail, full name, role, school index or None for the district)
NAMED_ACCOUNTS = [
    ("coach@example.org", "Maya Okafor", Role.COACH, 0),
    ("coach@example.org", "Maya Okafor", Role.COACH, 1),
    ("teacher@example.org", "Daniel Reyes", Role.TEACHER, 0),
    ("principal@example.org", "Grace Whitfield", Role.SCHOOL_ADMIN, 0),
    ("district@example.org", "Henry Lindqvist", Role.DISTRICT_ADMIN, None),
    ("coach.ito@example.org", "Kenji Ito", Role.COACH, 0),
    ("coach.novak@example.org", "Lena Novak", Role.COACH, 1),
    ("principal.hillcrest@example.org", "Samuel Adeyemi", Role.SCHOOL_ADMIN, 1),
]
TEACHER_NAMES = [
    "Amara Bello", "Ben Carter", "Chloe Dubois", "Diego Fernández", "Elif Yılmaz",
    "Farah Haddad", "George Mensah", "Hana Suzuki", "Isaac Levi", "Jade Nguyen",
    "Kofi Asante", "Lucía Romero", "Mateo Rossi", "Nadia Petrova", "Omar Khalil",
    "Priya Raman", "Quinn O'Neill", "Rosa Alvarez", "Sofia Lindgren", "Tariq Aziz",
    "Uma Patel", "Victor Hugo Lima", "Wen Zhao", "Yara Costa",
]  # fmt: skip
# Teachers whose past cycles fill the reports (cycles/demo.py).
REPORT_TEACHER_NAMES = [
    "Aiko Tanaka", "Bruno Silva", "Carmen Ortiz", "Dmitri Volkov", "Esther Cohen",
    "Felix Wagner", "Grace Liu", "Hamid Karimi", "Ines Moreau", "Jonas Berg",
    "Kemi Adebayo", "Liam Walsh", "Mina Sato", "Noah Fischer", "Olga Ivanova", "Pablo Ruiz",
    "Ana Lima", "Bilal Chaudhry", "Clara Jensen", "David Okoro", "Eva Novotna", "Filip Horvat",
    "Gita Sharma", "Hugo Martin", "Ivy Chen", "Jamal Price", "Keiko Mori", "Lars Holm",
    "Maria Santos", "Nikolai Petrov", "Oona Virtanen", "Paulo Mendes", "Rania Saleh",
    "Sam Taylor", "Thea Brandt", "Umar Farouk", "Vera Kuznetsova", "Will Foster",
    "Ximena Torres", "Zoe Adams",
]  # fmt: skip


@dataclass
class DemoPeople:
    district: District
    schools: list[School]
    users: dict[str, User]


def teacher_email(name: str) -> str:
    """ "Elif Yılmaz" -> elif.yilmaz@example.org: addresses stay plain ASCII."""
    plain = unicodedata.normalize("NFKD", name.replace("ı", "i")).encode("ascii", "ignore")
    first, *rest = plain.decode().lower().replace("'", "").split(" ")
    return f"{first}.{rest[-1]}@example.org"


def seed_people(password: str) -> DemoPeople:
    district, _ = District.objects.get_or_create(name=DISTRICT)
    schools = [
        School.objects.get_or_create(
            district=district, name=name, defaults={"time_zone": TIME_ZONE}
        )[0]
        for name in SCHOOLS
    ]
    for name, starts_on, ends_on in TERMS:
        Term.objects.get_or_create(
            district=district, name=name, defaults={"starts_on": starts_on, "ends_on": ends_on}
        )

    accounts = list(NAMED_ACCOUNTS)
    for index, name in enumerate(TEACHER_NAMES + REPORT_TEACHER_NAMES):
        accounts.append((teacher_email(name), name, Role.TEACHER, index % 2))

    users = {}
    for email, full_name, role, school_index in accounts:
        user = users.get(email) or _user(email, full_name, password)
        users[email] = user
        if school_index is None:
            Membership.objects.get_or_create(user=user, role=role, district=district)
        else:
            Membership.objects.get_or_create(user=user, role=role, school=schools[school_index])
        if role in (Role.SCHOOL_ADMIN, Role.DISTRICT_ADMIN):
            _demo_authenticator(user)
    return DemoPeople(district=district, schools=schools, users=users)


# Demo administrators sign in with two steps like real ones. Their authenticator key is
# published (README), so anyone trying the demo can add it to an app, or print the current
# code with `manage.py two_step_code`.
DEMO_TOTP_KEY = "54616e64656d2064656d6f206b6579"  # hex of "Tandem demo key"


def _demo_authenticator(user: User) -> None:
    TOTPDevice.objects.get_or_create(
        user=user, name="Demo authenticator", defaults={"key": DEMO_TOTP_KEY, "confirmed": True}
    )
    User.objects.filter(pk=user.pk).update(two_step_enabled=True)


def _user(email: str, full_name: str, password: str) -> User:
    user, created = User.objects.get_or_create(email=email, defaults={"full_name": full_name})
    if created or not user.check_password(password):
        user.set_password(password)
        user.save(update_fields=["password"])
    return user
