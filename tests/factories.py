import datetime

import factory
from factory.django import DjangoModelFactory

from accounts.models import District, Membership, School, Term, User


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", "a-good-password")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save(update_fields=["password"])


class DistrictFactory(DjangoModelFactory):
    class Meta:
        model = District

    name = factory.Sequence(lambda n: f"District {n}")


class SchoolFactory(DjangoModelFactory):
    class Meta:
        model = School

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"School {n}")
    time_zone = "America/Chicago"


class TermFactory(DjangoModelFactory):
    class Meta:
        model = Term

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"Term {n}")
    starts_on = datetime.date(2026, 8, 17)
    ends_on = datetime.date(2026, 12, 18)


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Membership.Role.TEACHER
    school = factory.SubFactory(SchoolFactory)
    district = None


def coach_at(school, **kwargs):
    return MembershipFactory(role=Membership.Role.COACH, school=school, **kwargs).user


def teacher_at(school, **kwargs):
    return MembershipFactory(role=Membership.Role.TEACHER, school=school, **kwargs).user


def school_admin_at(school, **kwargs):
    return MembershipFactory(role=Membership.Role.SCHOOL_ADMIN, school=school, **kwargs).user


def district_admin_of(district, **kwargs):
    return MembershipFactory(
        role=Membership.Role.DISTRICT_ADMIN, school=None, district=district, **kwargs
    ).user
