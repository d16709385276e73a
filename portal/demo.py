"""Deterministic demo data: one university, its structure, students and staff holding every role."""

import random
from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from portal.models import (
    Department,
    Institute,
    Notification,
    Programme,
    Role,
    RoleAssignment,
    StaffProfile,
    StudentProfile,
    StudyGroup,
    University,
    User,
)

DEMO_PASSWORD = "Demo2026!"
BATCH = 2000

KK_MALE = [
    "Ерлан",
    "Асқар",
    "Нұрлан",
    "Дәурен",
    "Бауыржан",
    "Ержан",
    "Қайрат",
    "Мұрат",
    "Санжар",
    "Әлихан",
    "Дархан",
    "Ілияс",
    "Темірлан",
    "Арман",
    "Ғалым",
    "Жандос",
    "Өркен",
    "Ұлан",
    "Нұрсұлтан",
    "Еркебұлан",
]
KK_FEMALE = [
    "Айгүл",
    "Әсел",
    "Гүлнар",
    "Динара",
    "Жанар",
    "Қарлығаш",
    "Мөлдір",
    "Назерке",
    "Сәуле",
    "Томирис",
    "Ұлжан",
    "Айым",
    "Балжан",
    "Ақбота",
    "Інжу",
    "Аружан",
    "Дана",
    "Гүлім",
    "Әйгерім",
    "Жансая",
]
KK_SURNAMES = [
    "Абаев",
    "Жұмабаев",
    "Сәрсенбаев",
    "Қасымов",
    "Нұрғалиев",
    "Төлеуов",
    "Әбілов",
    "Бекмұхамбетов",
    "Оспанов",
    "Ермеков",
    "Құдайбергенов",
    "Серікбаев",
    "Ілиясов",
    "Өтепов",
    "Ұзақов",
    "Шәріпов",
    "Есенов",
    "Байтұрсынов",
    "Мұқанов",
    "Тоқтаров",
]
KK_FATHERS = ["Серік", "Болат", "Қанат", "Марат", "Ғани", "Әділ", "Нұрлан", "Ерғали", "Талғат", "Жомарт"]
RU_MALE = ["Александр", "Дмитрий", "Сергей", "Андрей", "Максим", "Игорь", "Павел", "Никита", "Илья", "Роман"]
RU_FEMALE = ["Анна", "Елена", "Ольга", "Мария", "Наталья", "Ирина", "Татьяна", "Екатерина", "Юлия", "Светлана"]
RU_SURNAMES = [
    "Иванов",
    "Петров",
    "Смирнов",
    "Кузнецов",
    "Попов",
    "Васильев",
    "Соколов",
    "Морозов",
    "Волков",
    "Лебедев",
    "Ким",
    "Пак",
    "Цой",
    "Шевченко",
    "Бондаренко",
]
# (his patronymic form, hers)
RU_PATRONYMICS = [
    ("Александрович", "Александровна"),
    ("Викторович", "Викторовна"),
    ("Николаевич", "Николаевна"),
    ("Сергеевич", "Сергеевна"),
    ("Владимирович", "Владимировна"),
    ("Юрьевич", "Юрьевна"),
    ("Михайлович", "Михайловна"),
    ("Андреевич", "Андреевна"),
]

STRUCTURE = [
    (
        "IT",
        "Ақпараттық технологиялар институты",
        "Институт информационных технологий",
        "Institute of Information Technology",
        [
            (
                "IS",
                "Ақпараттық жүйелер кафедрасы",
                "Кафедра информационных систем",
                "Department of Information Systems",
            ),
            ("CS", "Компьютерлік ғылымдар кафедрасы", "Кафедра компьютерных наук", "Department of Computer Science"),
        ],
    ),
    (
        "EL",
        "Экономика және құқық институты",
        "Институт экономики и права",
        "Institute of Economics and Law",
        [
            ("EC", "Экономика кафедрасы", "Кафедра экономики", "Department of Economics"),
            ("LW", "Құқықтану кафедрасы", "Кафедра юриспруденции", "Department of Law"),
        ],
    ),
    (
        "HE",
        "Гуманитарлық ғылымдар және білім беру институты",
        "Институт гуманитарных наук и образования",
        "Institute of Humanities and Education",
        [
            ("PE", "Педагогика кафедрасы", "Кафедра педагогики", "Department of Pedagogy"),
            ("PH", "Филология кафедрасы", "Кафедра филологии", "Department of Philology"),
        ],
    ),
]
PROGRAMMES = {
    "IS": [
        ("6B06101", "Ақпараттық жүйелер", "Информационные системы", "Information Systems", "bachelor"),
        (
            "7M06101",
            "Ақпараттық жүйелер (магистратура)",
            "Информационные системы (магистратура)",
            "Information Systems (master)",
            "master",
        ),
    ],
    "CS": [("6B06102", "Бағдарламалық инженерия", "Программная инженерия", "Software Engineering", "bachelor")],
    "EC": [("6B04101", "Экономика", "Экономика", "Economics", "bachelor")],
    "LW": [("6B04201", "Құқықтану", "Юриспруденция", "Law", "bachelor")],
    "PE": [("6B01101", "Педагогика және психология", "Педагогика и психология", "Pedagogy and Psychology", "bachelor")],
    "PH": [
        ("6B02301", "Филология: қазақ тілі", "Филология: казахский язык", "Philology: Kazakh", "bachelor"),
        ("6B02302", "Аударма ісі", "Переводческое дело", "Translation Studies", "bachelor"),
    ],
}
GROUP_PREFIX = {
    "6B06101": "АЖ",
    "7M06101": "АЖМ",
    "6B06102": "БИ",
    "6B04101": "ЭК",
    "6B04201": "ҚҰ",
    "6B01101": "ПП",
    "6B02301": "ФЛ",
    "6B02302": "АІ",
}


@dataclass(frozen=True)
class Person:
    last_name: str
    first_name: str
    patronymic: str


def _person(rng: random.Random) -> Person:
    female = rng.random() < 0.5
    if rng.random() < 0.7:  # Kazakh name
        last = rng.choice(KK_SURNAMES) + ("а" if female else "")
        first = rng.choice(KK_FEMALE if female else KK_MALE)
        father = rng.choice(KK_FATHERS)
        patronymic = f"{father}қызы" if female else f"{father}ұлы"
    else:
        last = rng.choice(RU_SURNAMES)
        if female and last[-2:] in ("ов", "ев", "ин"):
            last += "а"
        first = rng.choice(RU_FEMALE if female else RU_MALE)
        his, hers = rng.choice(RU_PATRONYMICS)
        patronymic = hers if female else his
    return Person(last, first, patronymic)


def current_academic_year_start(today: date | None = None) -> int:
    """AC-01: the academic year starts on 2 September."""
    today = today or timezone.localdate()
    return today.year if (today.month, today.day) >= (9, 2) else today.year - 1


@transaction.atomic
def seed(students: int = 600, staff: int = 60, seed_value: int = 2026) -> dict[str, int]:
    """Create the demo university. Deterministic for a given seed and academic year."""
    rng = random.Random(seed_value)
    password = make_password(DEMO_PASSWORD)  # hashed once: hashing per user would take minutes
    now = timezone.now()
    year0 = current_academic_year_start()

    uni = University.objects.create(
        name_kk="Алатау мемлекеттік университеті",
        name_ru="Алатауский государственный университет",
        name_en="Alatau State University",
        short_name="АМУ",
    )
    institutes, departments, programmes = [], [], []
    for code, kk, ru, en, depts in STRUCTURE:
        inst = Institute.objects.create(university=uni, code=code, name_kk=kk, name_ru=ru, name_en=en)
        institutes.append(inst)
        for dcode, dkk, dru, den in depts:
            dept = Department.objects.create(institute=inst, code=dcode, name_kk=dkk, name_ru=dru, name_en=den)
            departments.append(dept)
            for pcode, pkk, pru, pen, level in PROGRAMMES[dcode]:
                programmes.append(
                    Programme.objects.create(
                        department=dept, code=pcode, name_kk=pkk, name_ru=pru, name_en=pen, level=level
                    )
                )

    # 20 groups: bachelor programmes get years 1-4 in turn, the master programme years 1-2.
    groups: list[StudyGroup] = []
    slots = [(p, y) for y in range(1, 5) for p in programmes if p.level == "bachelor"]
    slots += [(p, y) for y in (1, 2) for p in programmes if p.level == "master"]
    for i, (prog, year) in enumerate(slots[:20]):
        admission = year0 - (year - 1)
        lang = "ru" if i % 4 == 3 else "kk"
        groups.append(
            StudyGroup(
                programme=prog,
                name=f"{GROUP_PREFIX[prog.code]}-{admission % 100:02d}-{1 + (i % 2)}",
                admission_year=admission,
                language=lang,
            )
        )
    groups = bulk_create_with_history(groups, StudyGroup)  # audited from birth, like the units above

    # Staff: 60 people, each with a staff profile in a department.
    staff_users = User.objects.bulk_create(
        [_user(f"T{n:05d}", _person(rng), f"staff{n}@demo.edu.kz", password, now) for n in range(1, staff + 1)]
    )
    StaffProfile.objects.bulk_create(
        StaffProfile(user=u, department=departments[i % len(departments)], position=_position(i))
        for i, u in enumerate(staff_users)
    )

    # Students spread evenly over the groups.
    profiles_made = 0
    for start in range(0, students, BATCH):
        chunk = range(start, min(start + BATCH, students))
        users = User.objects.bulk_create(
            [
                _user(
                    f"{groups[n % len(groups)].admission_year % 100:02d}{n + 1:07d}",
                    _person(rng),
                    f"student{n + 1}@demo.edu.kz",
                    password,
                    now,
                )
                for n in chunk
            ],
            batch_size=BATCH,
        )
        profiles = []
        for n, user in zip(chunk, users, strict=True):
            group = groups[n % len(groups)]
            profiles.append(
                StudentProfile(
                    user=user,
                    group=group,
                    year_of_study=year0 - group.admission_year + 1,
                    study_language=group.language,
                    funding=rng.choice(["grant", "grant", "order", "paid", "paid"]),
                    study_form="full_time",
                    status="enrolled",
                )
            )
        StudentProfile.objects.bulk_create(profiles, batch_size=BATCH)
        profiles_made += len(profiles)

    _assign_roles(uni, institutes, departments, groups, staff_users)
    _welcome([a.user for a in demo_accounts()])
    return {
        "institutes": len(institutes),
        "departments": len(departments),
        "groups": len(groups),
        "students": profiles_made,
        "staff": len(staff_users),
    }


def _user(id_code: str, p: Person, email: str, password: str, now: datetime) -> User:
    return User(
        id_code=id_code,
        email=email,
        last_name=p.last_name,
        first_name=p.first_name,
        patronymic=p.patronymic,
        password=password,
        password_changed_at=now,
        date_joined=now,
    )


def _position(i: int) -> str:
    return ["Профессор", "Қауымдастырылған профессор", "Аға оқытушы", "Оқытушы"][i % 4]


def _assign_roles(
    uni: University,
    institutes: list[Institute],
    departments: list[Department],
    groups: list[StudyGroup],
    staff: list[User],
) -> None:
    """Every PT-01 role held by someone; the first staff accounts are the demo logins per role."""
    ra: list[RoleAssignment] = []

    def give(user: User, role: Role, **scope: object) -> None:
        ra.append(RoleAssignment(user=user, role=role, **scope))

    admin, rector, vice_rector, registrar, desw, yp_head, yp_spec = staff[:7]
    admin.is_staff = admin.is_superuser = True
    admin.save(update_fields=["is_staff", "is_superuser"])
    give(admin, Role.ADMINISTRATOR, university=uni)
    give(rector, Role.RECTOR, university=uni)
    give(vice_rector, Role.VICE_RECTOR_SOCIAL, university=uni)
    give(vice_rector, Role.COMMISSION_CHAIR, university=uni)
    give(registrar, Role.REGISTRAR, university=uni)
    give(desw, Role.DESW_DIRECTOR, university=uni)
    give(yp_head, Role.YOUTH_POLICY_HEAD, university=uni)
    give(yp_head, Role.COMMISSION_SECRETARY, university=uni)
    give(yp_spec, Role.YOUTH_POLICY_SPECIALIST, university=uni)
    rest = staff[7:]
    for i, inst in enumerate(institutes):
        give(rest[i], Role.DEAN, institute=inst)
        give(rest[3 + i], Role.STUDENT_DEAN, institute=inst)
    for i, dept in enumerate(departments):
        give(rest[6 + i], Role.HEAD_OF_DEPARTMENT, department=dept)
    teachers = rest[12:]
    commission, teachers = teachers[:3], teachers[3:]
    for t in commission:
        give(t, Role.COMMISSION_MEMBER, university=uni)
    for i, t in enumerate(teachers):
        give(t, Role.TEACHER, department=departments[i % len(departments)])
        give(t, Role.STAFF_APPLICANT, university=uni)
    for i, g in enumerate(groups):
        give(teachers[i % len(teachers)], Role.ADVISOR, group=g)
    give(teachers[-1], Role.CLUB_LEADER, university=uni)

    # Students: one group head per group, two SG officers, a student club leader.
    firsts: dict[int, User] = {}
    for p in StudentProfile.objects.select_related("user").order_by("user__id_code"):
        firsts.setdefault(p.group_id, p.user)
    for g in groups:
        if g.pk in firsts:
            give(firsts[g.pk], Role.GROUP_HEAD, group=g)
    student_users = User.objects.filter(student__isnull=False).order_by("id_code")
    for u in student_users.filter(student__year_of_study__gte=2)[1:3]:
        give(u, Role.SG_OFFICER, university=uni)
    # The sitting Student Government President (elected last year; the elections demo records the mandate).
    give(student_users.filter(student__year_of_study__gte=3)[3], Role.SG_PRESIDENT, university=uni)
    give_students = [
        RoleAssignment(user_id=uid, role=Role.STUDENT, university=uni)
        for uid in student_users.values_list("pk", flat=True)
    ]
    RoleAssignment.objects.bulk_create(ra + give_students, batch_size=BATCH)


def _welcome(users: list[User]) -> None:
    Notification.objects.bulk_create(
        Notification(
            recipient=u,
            subject="Порталға қош келдіңіз! / Добро пожаловать на портал!",
            body="Демо деректер дайын. / Демо-данные готовы.",
            send_email=False,
        )
        for u in users
    )


@dataclass(frozen=True)
class DemoAccount:
    dashboard: str
    title: str
    user: User


def demo_accounts() -> list[DemoAccount]:
    """One login per dashboard: the first person (by ID) whose roles lead there, preferring single-role people."""
    from portal.dashboards import DASHBOARDS

    roles_by_user: dict[int, set[str]] = {}
    for uid, role in RoleAssignment.objects.values_list("user_id", "role"):
        roles_by_user.setdefault(uid, set()).add(role)
    users = {u.pk: u for u in User.objects.filter(pk__in=roles_by_user).order_by("id_code")}
    accounts = []
    for board in DASHBOARDS:
        holders = [u for u in users.values() if roles_by_user[u.pk] & set(board.roles)]
        if not holders:
            continue
        holders.sort(key=lambda u: (len(roles_by_user[u.pk] - set(board.roles)) > 0, u.id_code))
        accounts.append(DemoAccount(board.key, str(board.title), holders[0]))
    return accounts
