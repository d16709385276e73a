"""Demo data for applications and complaints (after seed_demo): every institute's incoming journal over the
last weeks, run through the services, with a case in every status. The Institute of Information
Technology gets the full set (its dean is the demo dean, T00008); the other two a handful each.

Dates are counted back from today in working days, so the triage page always shows cases overdue,
due soon and comfortably in time, whatever day the demo is seeded.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from appeals.models import (
    ApplicantType,
    Application,
    Body,
    BodyMember,
    Channel,
    CommissionSeat,
    Delivery,
    Event,
    Kind,
    Outcome,
    Status,
)
from appeals.services import workflow
from appeals.services.commission import add_body_member, form_commission
from appeals.services.filing import Filing, file_application, register
from portal import workdays
from portal.models import Department, Institute, Role, RoleAssignment, StaffProfile, StudentProfile, User


@dataclass(frozen=True)
class Text:
    kind: str
    subject: str
    text: str


# What students and staff write to the dean's office, in their own words.
STUDENT = {
    "schedule": Text(
        Kind.COMPLAINT,
        "Емтихан кестесінің соңғы сәтте өзгертілуі",
        "Біздің топтың «Деректер қоры» пәні бойынша емтиханы сессия кестесінде 14 қаңтарға қойылған еді, "
        "бірақ кеше кешке ғана 10 қаңтарға ауыстырылғаны туралы хабарландыру шықты. Топтағы бірнеше студент "
        "басқа қаладан келеді, билеттері алдын ала сатып алынған. Емтиханды бастапқы күнге қайтаруды немесе "
        "келе алмайтын студенттерге қосымша күн белгілеуді сұраймын.",
    ),
    "dormitory": Text(
        Kind.APPLICATION,
        "Жатақханадан орын беру туралы",
        "Мен 2-курс студентімін, Түркістан облысынан келгенмін. Осы оқу жылында жатақханадан орын берілмеді, "
        "пәтер жалдауға отбасымның мүмкіндігі жоқ. Көпбалалы отбасынан шыққанымды растайтын анықтаманы "
        "тіркеймін. № 2 жатақханадан бос орын бөлуді сұраймын.",
    ),
    "heating": Text(
        Kind.COMPLAINT,
        "Жатақхана бөлмелерінің жылытылмауы",
        "№ 3 жатақхананың төртінші қабатындағы бөлмелерде екі аптадан бері жылу жоқ, бөлме температурасы "
        "кешке 14 градусқа дейін түседі. Коменданттқа ауызша екі рет айттық, бірақ ешқандай шара "
        "қолданылмады. Жылу жүйесін тексеріп, ақауды жоюды сұраймыз.",
    ),
    "grading": Text(
        Kind.COMPLAINT,
        "Аралық бақылау бағасының негізсіз төмендетілуі",
        "«Алгоритмдер және деректер құрылымдары» пәнінен бірінші аралық бақылау жұмысым 62 балл деп "
        "бағаланды, бірақ жұмыстағы қай тапсырмаға қанша балл қойылғаны түсіндірілмеді. Силлабуста "
        "көрсетілген бағалау критерийлері бойынша жұмысымды қайта қарап, түсініктеме беруді сұраймын.",
    ),
    "syllabus": Text(
        Kind.PROPOSAL,
        "Білім беру бағдарламасына таңдау пәнін қосу туралы",
        "Үшінші курс студенттері атынан «Бұлтты технологиялар» таңдау пәнін білім беру бағдарламасына "
        "енгізуді ұсынамыз. Жұмыс берушілердің көбі бұл дағдыны талап етеді, ал қазір пән тек қосымша "
        "курс ретінде ақылы түрде өтеді. Пәннің болжамды силлабусын тіркейміз.",
    ),
    "library": Text(
        Kind.PROPOSAL,
        "Кітапхананың оқу залын кешкі уақытта ашу",
        "Сессия кезінде кітапхананың оқу залы 18:00-де жабылады, ал жатақханада тыныш оқитын орын жоқ. "
        "Сессия айларында оқу залын кемінде 21:00-ге дейін ашық ұстауды ұсынамын.",
    ),
    "certificate": Text(
        Kind.REQUEST,
        "Әскери есепке арналған анықтама беру",
        "Әскери комиссариатқа ұсыну үшін оқу орнында білім алатыным туралы анықтама қажет. Анықтаманы "
        "мемлекеттік тілде, мөрмен беруді сұраймын. Анықтама 25 қарашаға дейін керек.",
    ),
    "wifi": Text(
        Kind.COMPLAINT,
        "Оқу корпусында сымсыз интернеттің жұмыс істемеуі",
        "Бас корпустың 300-аудиториялар қабатында бір айдан бері Wi-Fi жұмыс істемейді, сондықтан "
        "зертханалық жұмыстарды онлайн жүйеге уақытында жүктей алмаймыз. Желіні қалпына келтіруді сұраймыз.",
    ),
    "scholarship": Text(
        Kind.APPLICATION,
        "Әлеуметтік стипендия тағайындау туралы",
        "Әкем мүгедектігі бойынша жұмыс істемейді, отбасымыз аз қамтылған отбасы ретінде тіркелген. "
        "Ережеге сәйкес маған әлеуметтік стипендия тағайындауды сұраймын. Растайтын құжаттарды тіркеймін.",
    ),
    "unclear": Text(
        Kind.APPLICATION,
        "Өтініш",
        "Сіздерден маған көмектесуіңізді сұраймын, себебі жағдай өте қиын болып тұр. Жауап күтемін.",
    ),
    "attendance": Text(
        Kind.COMPLAINT,
        "Сабаққа қатысу белгісінің қате қойылуы",
        "Қазан айындағы үш сабаққа қатыспады деп белгіленгенмін, бірақ ол күндері мен университеттің "
        "олимпиада құрамасымен Астанада жарыста болдым. Бұйрықтың көшірмесін тіркеймін. Қатысу "
        "журналындағы белгілерді түзетуді сұраймын.",
    ),
}
STAFF = {
    "workload": Text(
        Kind.APPLICATION,
        "Оқу жүктемесін қайта бөлу туралы",
        "Көктемгі семестрге бекітілген оқу жүктемем 780 сағатты құрайды, бұл кафедраның ережесінде "
        "белгіленген шектен асады. Жүктеменің бір бөлігін кафедраның басқа оқытушыларына қайта бөлуді "
        "сұраймын.",
    ),
    "ethics": Text(
        Kind.COMPLAINT,
        "Әріптестің іскерлік әдепті бұзуы",
        "Кафедра отырысында әріптесім студенттердің көзінше менің біліктілігіме қатысты дөрекі сөздер "
        "айтты. Бұл оқиғаны университеттің іскерлік әдеп кодексі бойынша қарауды сұраймын. Отырыс "
        "хаттамасынан үзінді тіркеймін.",
    ),
    "lab": Text(
        Kind.PROPOSAL,
        "Компьютерлік зертхананы жаңарту",
        "305-зертханадағы компьютерлер 2014 жылы орнатылған, қазіргі бағдарламалық жасақтаманы "
        "көтермейді. Зертхананы кезең-кезеңімен жаңарту жоспарын сапаны қамтамасыз ету комиссиясында "
        "қарауды ұсынамын.",
    ),
}
ANONYMOUS = Text(
    Kind.COMPLAINT,
    "Емтихан үшін ақша талап етілуі туралы",
    "Бір оқытушы емтиханды «жабу» үшін студенттерден ақша талап етіп жүр. Аты-жөнімді жазғым келмейді, "
    "бірақ бұл туралы бірнеше студент біледі. Шара қолдануларыңызды сұраймын.",
)
ANONYMOUS_VAGUE = Text(
    Kind.COMPLAINT,
    "Асхана туралы",
    "Асханадағы тамақ сапасы нашар, бағасы қымбат. Бұған ешкім назар аудармайды, бірдеңе істеу керек.",
)
ANSWERS = {
    "dormitory": "№ 2 жатақханадан 412-бөлмеден орын бөлінді. Жатақхана меңгерушісіне 3 жұмыс күні ішінде "
    "жеке куәлігіңізбен келуіңізді сұраймыз.",
    "library": "Ұсынысыңыз қолдау тапты: сессия айларында оқу залы 21:00-ге дейін жұмыс істейді.",
    "grading": "Кафедра меңгерушісі жұмысыңызды қайта қарады: бағалау силлабустағы критерийлерге сәйкес келеді, "
    "әр тапсырма бойынша түсініктеме жеке кеңесте берілді. Баға өзгеріссіз қалады.",
    "certificate": "Анықтама дайын, деканаттың 204-кабинетінен алуға болады.",
    "workload": "Оқу жүктемесі кафедра отырысында қайта қаралды: 80 сағат әріптестерге берілді, "
    "жүктемеңіз 700 сағат болып бекітілді.",
    "attendance": "Олимпиада құрамасы туралы бұйрық негізінде қатысу журналындағы үш белгі түзетілді, "
    "бірақ бір сабақтың күні бұйрықта көрсетілген мерзімге кірмейді.",
}


def working_days_ago(n: int, today: date) -> date:
    """The n-th working day before today."""
    day, left = today, n
    while left > 0:
        day -= timedelta(days=1)
        if workdays.is_working_day(day):
            left -= 1
    return day


def morning(day: date, hour: int = 10) -> datetime:
    """An aware Almaty time on `day`, inside office hours, so the case is registered that day (AP-06)."""
    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=hour))


@dataclass
class School:
    institute: Institute
    dean: User
    student_dean: User
    heads: list[User]
    students: list[User]
    teachers: list[User]

    def handler(self, body: str) -> User:
        """Who considers a case for the body: the student dean for the dean's council, heads of department
        for the programme committee and the quality commission, a senior teacher for the ethics council."""
        if body == Body.DEANS_COUNCIL:
            return self.student_dean
        if body == Body.PROGRAMME_COMMITTEE:
            return self.heads[0]
        if body == Body.QUALITY_COMMISSION:
            return self.heads[-1]
        return self.teachers[-1]


def _holder(role: str, institute: Institute | None = None, department: Department | None = None) -> User | None:
    rows = RoleAssignment.objects.filter(role=role).select_related("user").order_by("user__id_code")
    if institute is not None:
        rows = rows.filter(institute=institute)
    if department is not None:
        rows = rows.filter(department=department)
    first = rows.first()
    return first.user if first else None


def _school(institute: Institute, demo_student: User | None) -> School | None:
    dean, student_dean = _holder(Role.DEAN, institute), _holder(Role.STUDENT_DEAN, institute)
    departments = list(institute.departments.order_by("code"))
    heads = [h for d in departments if (h := _holder(Role.HEAD_OF_DEPARTMENT, department=d))]
    students = [
        p.user
        for p in StudentProfile.objects.filter(group__programme__department__institute=institute)
        .select_related("user")
        .order_by("user__id_code")[:40:3]
    ]
    if (
        demo_student is not None
        and StudentProfile.objects.filter(user=demo_student, group__programme__department__institute=institute).exists()
    ):
        students = [demo_student, *(u for u in students if u != demo_student)]
    # Teaching staff whose own department (where they file from) is in the institute.
    teacher_ids = RoleAssignment.objects.filter(role=Role.TEACHER).values("user_id")
    teachers = [
        p.user
        for p in StaffProfile.objects.filter(user__in=teacher_ids, department__institute=institute)
        .select_related("user")
        .order_by("user__id_code")
    ]
    if not (dean and student_dean and heads and len(students) >= 8 and len(teachers) >= 4):
        return None
    return School(institute, dean, student_dean, heads, students, teachers)


def _members(school: School) -> None:
    """The standing bodies' members (AP-09, AP-21), seated by the dean (the ethics council by the rector):
    they see the cases sent to their body and sit for it on an expanded commission (AP-10)."""
    seats: list[tuple[User, str, Institute | None, User]] = [
        (school.dean, Body.DEANS_COUNCIL, school.institute, school.dean),
        (school.dean, Body.DEANS_COUNCIL, school.institute, school.student_dean),
        (school.dean, Body.PROGRAMME_COMMITTEE, school.institute, school.heads[0]),
        (school.dean, Body.QUALITY_COMMISSION, school.institute, school.heads[-1]),
    ]
    rector = _holder(Role.RECTOR)
    if rector is not None:
        seats.append((rector, Body.ETHICS_COUNCIL, None, school.teachers[-1]))
    for actor, body, institute, member in seats:
        if not BodyMember.objects.filter(body=body, institute=institute, user=member).exists():
            add_body_member(actor, body, institute, member)


Then = Callable[[Application], object]


@dataclass
class Step:
    """One application of the plan: when it came in, how it is registered, what happens to it next."""

    days_ago: int
    hour: int
    register: Callable[[], Application]
    then: Then | None
    key: str


def _retime_events(case: Application, today: date) -> None:
    """The services stamp the timeline with the time of seeding; spread a demo case's steps over its own
    days instead, from its arrival to its answer (or this morning), so the timeline reads like a real one."""
    events = list(case.events.order_by("id"))
    case.refresh_from_db(fields=["answered_on", "received_at"])
    start = case.received_at
    end = max(morning(case.answered_on or today, 15 if case.answered_on else 9), start)
    for i, event in enumerate(events):
        event.at = start + (end - start) * i / max(len(events) - 1, 1)
    Event.objects.bulk_update(events, ["at"])


class Demo:
    """One school's cases, filed and moved along through the services on their own dates. The plan is
    filed in the order the applications came in, so the journal's numbers follow its dates (AP-04)."""

    def __init__(self, school: School, today: date) -> None:
        self.school, self.today = school, today
        self.steps: list[Step] = []
        self.cases: dict[str, Application] = {}

    def ago(self, n: int) -> date:
        return working_days_ago(n, self.today)

    def file(
        self, applicant: User, text: Text, days_ago: int, then: Then | None = None, key: str = "", hour: int = 10
    ) -> None:
        """Filed in the portal by the applicant (AP-01, AP-02)."""
        filing = Filing(kind=text.kind, subject=text.subject, text=text.text)
        moment = morning(self.ago(days_ago), hour)
        self.steps.append(Step(days_ago, hour, lambda: file_application(applicant, filing, now=moment), then, key))

    def received(
        self,
        text: Text,
        days_ago: int,
        channel: str,
        applicant: User | None,
        applicant_type: str,
        then: Then | None = None,
        **extra: object,
    ) -> None:
        """Registered by the dean's office: paper, e-mail, the rector's blog (AP-03)."""
        filing = Filing(kind=text.kind, subject=text.subject, text=text.text)
        moment = morning(self.ago(days_ago), 11)

        def registered() -> Application:
            return register(
                filing=filing,
                institute=self.school.institute,
                channel=channel,
                applicant=applicant,
                applicant_type=applicant_type,
                filed_by=self.school.dean,
                received_at=moment,
                **extra,  # type: ignore[arg-type]
            )

        self.steps.append(Step(days_ago, 11, registered, then, ""))

    def run(self) -> None:
        """Register every application in order of arrival, then take each further along."""
        steps = sorted(self.steps, key=lambda step: (-step.days_ago, step.hour))
        filed = [(step, step.register()) for step in steps]
        for step, case in filed:
            if step.key:
                self.cases[step.key] = case
        for step, case in filed:
            if step.then is not None:
                step.then(case)
        for _, case in filed:
            _retime_events(case, self.today)

    def routed(self, body: str) -> Then:
        """AP-09: the dean sends the case to the body and assigns its handler."""
        return lambda case: workflow.route(self.school.dean, case, body, [self.school.handler(body)])

    def answered(self, body: str, outcome: str, answer: str, answered_ago: int, hearing: str = "") -> Then:
        """Routed, considered (with a hearing before a refusal, AP-22), answered on its day, delivered (AP-15)."""

        def steps(case: Application) -> None:
            self.routed(body)(case)
            handler = self.school.handler(body)
            if hearing:
                held = workflow.send_hearing(handler, case, hearing, today=self.ago(answered_ago + 4))
                if case.applicant is not None and outcome == Outcome.PARTLY_UPHELD:
                    workflow.answer_hearing(
                        case.applicant,
                        held,
                        "Қосымша құжаттарды тіркедім, қайта қарауды сұраймын.",
                        today=self.ago(answered_ago + 2),
                    )
            case = workflow.answer_case(handler, case, outcome, answer, today=self.ago(answered_ago))
            if case.applicant_type == ApplicantType.STAFF:
                method, reference = Delivery.Method.EMAIL, ""
            elif answered_ago % 2:
                method, reference = Delivery.Method.POST, f"Қазпошта түбіртегі № {4_100_000 + case.pk}"
            else:
                method, reference = Delivery.Method.IN_PERSON, "Өтініш беруші жауаптың көшірмесіне қол қойды"
            workflow.record_delivery(handler, case, method, self.ago(answered_ago - 1), reference)

        return steps

    def extended(self, body: str, reason: str) -> Then:
        """AP-06: routed, then put off to 27 working days from registration, with the reason."""

        def steps(case: Application) -> None:
            self.routed(body)(case)
            workflow.extend_deadline(self.school.dean, case, workdays.add_working_days(case.registered_on, 27), reason)

        return steps

    def heard(self, body: str, intended: str) -> Then:
        """AP-22: routed; the intended refusal sent to the applicant yesterday, the answer still awaited."""

        def steps(case: Application) -> None:
            self.routed(body)(case)
            workflow.send_hearing(self.school.handler(body), case, intended, today=self.ago(1))

        return steps

    def returned(self, explanation: str, days_after: int = 1) -> Then:
        """AP-07: returned without consideration within 3 working days of registration."""

        def steps(case: Application) -> None:
            on = workdays.add_working_days(case.registered_on, days_after)
            workflow.return_without_consideration(self.school.dean, case, explanation, today=on)

        return steps

    def terminated(self, earlier_key: str) -> Then:
        """AP-08: the same person's answered application repeated with nothing new: terminated with a notice."""

        def steps(case: Application) -> None:
            earlier = Application.objects.get(pk=self.cases[earlier_key].pk)
            notice = f"Осы мәселе бойынша {earlier.number} өтінішіңізге толық жауап берілген, жаңа дәлел келтірілмеген."
            on = workdays.add_working_days(case.registered_on, 1)
            workflow.terminate_repeated(self.school.dean, case, earlier, notice, today=on)

        return steps

    def to_commission(self, order_ago: int) -> Then:
        """AP-10: a staff member's case referred to the expanded commission by the dean's order, the dean in
        the chair, the seats the regulation requires for staff filled from the institute's bodies."""

        def steps(case: Application) -> None:
            s = self.school
            order_day = self.ago(order_ago)
            Seat = CommissionSeat.Role
            others = [t for t in s.teachers if t.pk != case.applicant_id and t != s.teachers[-1]]
            seats = [
                (Seat.ETHICS_COUNCIL, s.teachers[-1]),
                (Seat.STAFF_UNION, others[0]),
                (Seat.PROGRAMME_COMMITTEE, s.heads[0]),
                (Seat.QUALITY_COMMISSION, s.heads[-1]),
                (Seat.LAWYER, others[1]),
            ]
            form_commission(
                s.dean,
                case,
                order_number=f"{s.institute.code}-{order_day:%y}/К-{case.pk}",
                order_date=order_day,
                seats=seats,
            )

        return steps


def _full_set(demo: Demo) -> None:
    """Every status, every channel, deadlines overdue, due soon and in time (the demo dean's institute)."""
    st, staff = demo.school.students, demo.school.teachers
    # Answered and delivered: upheld, partly upheld after a hearing, refused after a hearing, explained.
    answered = demo.answered
    demo.file(
        st[0],
        STUDENT["library"],
        30,
        answered(Body.QUALITY_COMMISSION, Outcome.UPHELD, ANSWERS["library"], 22),
        "library",
    )
    demo.file(st[5], STUDENT["dormitory"], 28, answered(Body.DEANS_COUNCIL, Outcome.UPHELD, ANSWERS["dormitory"], 15))
    demo.file(
        st[6],
        STUDENT["attendance"],
        26,
        answered(
            Body.DEANS_COUNCIL,
            Outcome.PARTLY_UPHELD,
            ANSWERS["attendance"],
            12,
            hearing="Бір сабақтың белгісін түзетуге негіз жоқ: ол күн бұйрықта көрсетілмеген.",
        ),
    )
    demo.file(
        st[3],
        STUDENT["grading"],
        25,
        answered(
            Body.PROGRAMME_COMMITTEE,
            Outcome.REFUSED,
            ANSWERS["grading"],
            10,
            hearing="Бағаны өзгертуге негіз жоқ деп шешу көзделуде.",
        ),
    )
    demo.file(
        staff[0], STAFF["workload"], 24, answered(Body.PROGRAMME_COMMITTEE, Outcome.UPHELD, ANSWERS["workload"], 9)
    )
    demo.file(
        st[7], STUDENT["certificate"], 8, answered(Body.DEANS_COUNCIL, Outcome.EXPLAINED, ANSWERS["certificate"], 6)
    )
    # Under consideration: extended, overdue, due soon, with a hearing, in time.
    demo.file(
        st[4],
        STUDENT["attendance"],
        20,
        demo.extended(Body.DEANS_COUNCIL, "Олимпиада құрамасы туралы бұйрықтың түпнұсқасы спорт бөлімінен сұратылды."),
    )
    demo.file(st[6], STUDENT["heating"], 16, demo.routed(Body.QUALITY_COMMISSION))  # overdue by 1
    demo.file(st[0], STUDENT["dormitory"], 13, demo.routed(Body.DEANS_COUNCIL))  # 2 working days left
    demo.file(st[5], STUDENT["grading"], 12, demo.routed(Body.PROGRAMME_COMMITTEE))  # 3 left
    demo.file(
        st[1],
        STUDENT["grading"],
        9,
        demo.heard(
            Body.PROGRAMME_COMMITTEE,
            "Жұмыс силлабустағы критерийлер бойынша бағаланған, бағаны өзгертуге негіз жоқ деп есептейміз.",
        ),
    )
    demo.file(staff[1], STAFF["ethics"], 6, demo.routed(Body.ETHICS_COUNCIL))
    demo.received(
        STUDENT["library"], 5, Channel.RECTOR_BLOG, st[2], ApplicantType.STUDENT, demo.routed(Body.QUALITY_COMMISSION)
    )
    demo.file(st[7], STUDENT["syllabus"], 4, demo.routed(Body.PROGRAMME_COMMITTEE))
    # At the expanded commission (AP-10), due tomorrow.
    demo.file(staff[0], STAFF["ethics"], 14, demo.to_commission(3))
    # Registered, awaiting triage: one forgotten until overdue, paper and e-mail ones, new ones.
    demo.file(st[3], STUDENT["scholarship"], 17)  # overdue: nobody triaged it
    demo.received(STAFF["lab"], 3, Channel.PAPER, staff[0], ApplicantType.STAFF)
    demo.received(STUDENT["certificate"], 2, Channel.EMAIL, st[4], ApplicantType.STUDENT)
    demo.file(st[2], STUDENT["wifi"], 2, hour=16)
    demo.file(st[1], STUDENT["schedule"], 1)
    # Returned within 3 working days (AP-07); terminated as repeated (AP-08).
    demo.file(
        st[2],
        STUDENT["unclear"],
        7,
        demo.returned("Өтініште нақты не сұралатыны көрсетілмеген. Мәселенің мәнін жазып, қайта жүгінуіңізге болады."),
    )
    demo.file(st[0], STUDENT["library"], 3, demo.terminated("library"))
    # Anonymous (AP-05): one not considered, one reporting an offence forwarded at once.
    demo.received(ANONYMOUS_VAGUE, 5, Channel.EMAIL, None, ApplicantType.ANONYMOUS)
    demo.received(
        ANONYMOUS,
        11,
        Channel.PAPER,
        None,
        ApplicantType.ANONYMOUS,
        reports_offence=True,
        forwarded_to="Алматы қаласы Полиция департаменті (сыбайлас жемқорлыққа қарсы іс-қимыл)",
    )


def _few(demo: Demo) -> None:
    """The other institutes: one case answered, one overdue, one due soon, one awaiting triage."""
    st = demo.school.students
    demo.file(
        st[3], STUDENT["library"], 27, demo.answered(Body.QUALITY_COMMISSION, Outcome.UPHELD, ANSWERS["library"], 20)
    )
    demo.file(st[2], STUDENT["wifi"], 17, demo.routed(Body.QUALITY_COMMISSION))
    demo.file(st[1], STUDENT["dormitory"], 13, demo.routed(Body.DEANS_COUNCIL))
    demo.file(st[0], STUDENT["schedule"], 2)


DEMO_STUDENT = "240000035"  # the demo student login (portal.demo): gives the applicant's pages cases to show


@transaction.atomic
def seed(today: date | None = None) -> dict[str, int]:
    """Create the demo cases; the first institute created gets the full set (the demo dean T00008 runs it)."""
    today = today or timezone.localdate()
    demo_student = User.objects.filter(id_code=DEMO_STUDENT).first()
    institutes = list(Institute.objects.order_by("pk"))
    if not institutes:
        raise ValueError("Run seed_demo first: there is no institute.")
    seeded = 0
    for i, institute in enumerate(institutes):
        scenario = _full_set if i == 0 else _few
        school = _school(institute, demo_student)
        if school is None:
            continue
        _members(school)
        demo = Demo(school, today)
        scenario(demo)
        demo.run()
        seeded += 1
    if not seeded:
        raise ValueError("Run seed_demo first: no institute has a dean, a student dean, heads and students.")
    counts = {"institutes": seeded, "applications": Application.objects.count()}
    counts.update({status.value: Application.objects.filter(status=status).count() for status in Status})
    return counts
