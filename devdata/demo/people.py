"""Demo people and places. Every step looks up before it creates, so it can run again.

The district, its schools and terms, and its first administrator are what the operator
sets up in Django's admin site. Everyone else joins as people join Tandem: the district
administrator invites them (`person_invite`), they choose their password through the
welcome link and so accept (`accept_invitations_on_welcome`), and administrators turn on
their two-step sign-in (`two_step_turn_on`).
"""

import datetime
import unicodedata
from dataclasses import dataclass

from django.contrib.auth.hashers import check_password, make_password
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import District, Membership, School, Term, User
from accounts.services import accept_invitations_on_welcome, person_invite
from accounts.two_step import two_step_turn_on

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
    # The district's lead coach, who coaches the coaches (devdata/demo/growth.py).
    ("lead@example.org", "Nora Castillo", Role.LEAD_COACH, None),
]
# The district administrator the operator appoints; everyone else they invite.
FIRST_ADMINISTRATOR = "district@example.org"
TEACHER_NAMES = [
    "Amara Bello", "Ben Carter", "Chloe Dubois", "Diego Fernández", "Elif Yılmaz",
    "Farah Haddad", "George Mensah", "Hana Suzuki", "Isaac Levi", "Jade Nguyen",
    "Kofi Asante", "Lucía Romero", "Mateo Rossi", "Nadia Petrova", "Omar Khalil",
    "Priya Raman", "Quinn O'Neill", "Rosa Alvarez", "Sofia Lindgren", "Tariq Aziz",
    "Uma Patel", "Victor Hugo Lima", "Wen Zhao", "Yara Costa",
]  # fmt: skip
# Teachers whose past cycles fill the reports (devdata/demo/coaching.py).
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
    # Each person's place in the demo's list, from 1. The demo varies coaches' days and
    # lessons by it rather than by database ids, so it reads the same in any database.
    number: dict[int, int]

    @property
    def administrator(self) -> User:
        return self.users[FIRST_ADMINISTRATOR]


def teacher_email(name: str) -> str:
    """ "Elif Yılmaz" -> elif.yilmaz@example.org: addresses stay plain ASCII."""
    plain = unicodedata.normalize("NFKD", name.replace("ı", "i")).encode("ascii", "ignore")
    first, *rest = plain.decode().lower().replace("'", "").split(" ")
    return f"{first}.{rest[-1]}@example.org"


def _accounts() -> list[tuple[str, str, str, int | None]]:
    accounts = list(NAMED_ACCOUNTS)
    for index, name in enumerate(TEACHER_NAMES + REPORT_TEACHER_NAMES):
        accounts.append((teacher_email(name), name, Role.TEACHER, index % 2))
    return accounts


def seed_people(password: str) -> DemoPeople:
    district, schools = _places()
    accounts = _accounts()
    administrator = _first_administrator(district)
    for email, full_name, role, school_index in accounts:
        if role == Role.DISTRICT_ADMIN:
            continue  # the district's administrator, whom the operator appointed
        at_district = school_index is None
        school = schools[school_index or 0]
        place = {"district": district} if at_district else {"school": school}
        if not Membership.objects.filter(user__email=email, role=role, **place).exists():
            person_invite(
                actor=administrator,
                school=school,
                email=email,
                full_name=full_name,
                role=role,
                district_wide=at_district,
            )
    emails = list(dict.fromkeys(email for email, *_ in accounts))
    found = {user.email: user for user in User.objects.filter(email__in=emails)}
    users = {email: found[email] for email in emails}  # in the demo's order
    _choose_passwords(list(users.values()), password)
    for email, _, role, _ in accounts:
        if role in (Role.SCHOOL_ADMIN, Role.DISTRICT_ADMIN):
            _demo_authenticator(users[email])
    return DemoPeople(
        district=district,
        schools=schools,
        users=users,
        number={user.pk: number for number, user in enumerate(users.values(), 1)},
    )


def _places() -> tuple[District, list[School]]:
    """What the operator sets up in the admin site: the district, its schools and terms."""
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
    return district, schools


def _first_administrator(district: District) -> User:
    """The district administrator the operator appoints in the admin site, to invite the rest."""
    email, full_name = next(
        (email, name) for email, name, *_ in NAMED_ACCOUNTS if email == FIRST_ADMINISTRATOR
    )
    user, _ = User.objects.get_or_create(email=email, defaults={"full_name": full_name})
    Membership.objects.get_or_create(user=user, role=Role.DISTRICT_ADMIN, district=district)
    return user


def _choose_passwords(users: list[User], password: str) -> None:
    """As the welcome page does: each invited person chooses their password, and so accepts
    what they were invited to. Run again with another password, it is changed.

    Everyone's is the same published one, hashed once for all of them: a hash is slow on
    purpose, and seventy of them were most of the demo's seeding time.
    """
    hashed = ""
    verified = {}  # a hash the demo's people share -> whether `password` is the one hashed
    for user in users:
        if user.has_usable_password():
            if user.password not in verified:
                verified[user.password] = check_password(password, user.password)
            if verified[user.password]:
                continue
        hashed = hashed or make_password(password)
        user.password = hashed
        user.save(update_fields=["password"])
        accept_invitations_on_welcome(user)


# Demo administrators sign in with two steps like real ones. Their authenticator key is
# published (README), so anyone trying the demo can add it to an app, or print the current
# code with `manage.py two_step_code`.
DEMO_TOTP_KEY = "54616e64656d2064656d6f206b6579"  # hex of "Tandem demo key"


def _demo_authenticator(user: User) -> None:
    """As the set-up page does, with the published key: the app is added, then confirmed."""
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return
    device = TOTPDevice.objects.create(
        user=user, name="Demo authenticator", key=DEMO_TOTP_KEY, confirmed=False
    )
    two_step_turn_on(actor=user, device=device)
