"""Realistic Spanish-language demo data: customers, tickets, history, comments and time.

Rows go in through bulk INSERTs (100k tickets in well under a minute on SQLite) carrying the
same normalised search keys the services compute, and tickets take the next numbers of the
"tickets" sequence, so afterwards the desk behaves exactly as it would with real data.
Faker is asked a bounded number of times for pools of names and streets; every row is drawn
from those pools and from the hand-written after-sales texts below.
"""

from __future__ import annotations

import math
import random
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from faker import Faker
from sqlalchemy import insert, select, update

from .errors import Conflict, ValidationError
from .extensions import db
from .i18n import in_desk_language
from .models import (
    Channel,
    Comment,
    Commitment,
    CommitmentDueChange,
    CommitmentType,
    Coverage,
    Customer,
    CustomerKind,
    CustomerNameToken,
    HistoryEvent,
    Phone,
    Priority,
    Queue,
    Role,
    Sequence,
    Status,
    StatusCategory,
    Ticket,
    TicketType,
    TimeEntry,
    Topic,
    User,
    Visibility,
)
from .normalize import fold, name_tokens, national_id_key, phone_digits
from .plugins import registry
from .services.coverage import NO_COVERAGE_REASON
from .services.numbering import ensure_sequence
from .services.plugin_admin import dependency_order, enable_plugin
from .services.tickets import TICKET_SEQUENCE
from .services.unit_of_work import unit_of_work
from .services.users import create_user

DEMO_DOMAIN = "demo.deskcore"
#: Rows per INSERT statement batch.
CHUNK = 2000
#: Tickets are received over this many days before now.
HISTORY_DAYS = 730
#: Shares of tickets put on hold before being resolved, with a commitment, and with a
#: commitment whose due date was moved once (what the reports on those need).
HELD_SHARE = 0.2
COMMITMENT_SHARE = 0.25
MOVED_SHARE = 0.3
#: Santiago de Chile office hours, in UTC (UTC-4).
OFFICE_HOURS_UTC = (12, 23)
#: The plugins this project ships; `serve --demo` enables those installed.
FIRST_PARTY_PLUGINS = (
    "warranty",
    "contracts",
    "field_visits",
    "invoicing",
    "knowledge_base",
    "contact_center",
)
#: A desk with fewer active agents gets the demo team, so work spreads over several people.
MIN_AGENTS = 3
DEMO_TEAM_SIZE = 5
DEMO_QUEUES = (
    ("Mesa de ayuda", "Primer contacto: llamadas, correos y formularios web"),
    ("Servicio técnico", "Diagnóstico y reparación de equipos"),
    ("Garantías y cambios", "Cambios, devoluciones y reclamos de garantía"),
    ("Facturación", "Boletas, facturas, cobros y pagos"),
)
EMAIL_DOMAINS = ("example.com", "example.net", "example.org")
CHANNEL_WEIGHTS = {Channel.PHONE: 55, Channel.EMAIL: 25, Channel.WEB: 15, Channel.VISIT: 5}
COURTESY_SHARE = 0.15
COURTESY_REASON = "Cortesía autorizada por supervisión"

SUBJECTS = (
    "No enciende",
    "Pantalla sin imagen",
    "Hace ruido al funcionar",
    "No enfría",
    "Se apaga solo",
    "Cobro duplicado en la boleta",
    "Solicita visita técnica",
    "Producto llegó dañado",
    "Despacho atrasado",
    "Consulta por estado de garantía",
    "Control remoto no responde",
    "Pierde agua por abajo",
    "Muestra error E4 en el display",
    "Solicita cambio de producto",
    "La batería no carga",
    "Olor a quemado al encender",
    "Pide copia de la factura",
    "Instalación pendiente",
    "Se corta la conexión wifi",
    "Consulta por repuestos",
    "Reclamo por mala atención en tienda",
    "La puerta no cierra bien",
    "Calienta en exceso",
    "Solicita devolución del dinero",
    "No se refleja el pago realizado",
    "Cambio de dirección de despacho",
    "Consulta por plazo de reparación",
    "Vuelve a fallar después de la reparación",
    "Perdió el manual de uso",
    "Solicita mantención preventiva",
)
OPENERS = (
    "El cliente indica que",
    "La clienta comenta que",
    "Llama para informar que",
    "Según lo conversado,",
    "Escribe por correo indicando que",
    "En la visita a tienda explica que",
)
FACTS = (
    "el equipo dejó de funcionar después de un corte de luz",
    "la falla comenzó hace una semana",
    "ya reportó el mismo problema el mes pasado",
    "el producto se compró hace menos de un año",
    "la reparación anterior no solucionó el problema",
    "el equipo muestra una luz roja parpadeando",
    "el problema ocurre sobre todo en las mañanas",
    "no ha podido usar el equipo desde la instalación",
    "el despacho no llegó en la fecha comprometida",
    "el cobro aparece dos veces en su tarjeta",
    "el técnico no llegó a la visita agendada",
    "la caja venía abierta al momento de la entrega",
)
REQUESTS = (
    "Solicita una solución a la brevedad.",
    "Pide que lo llamen antes de la visita.",
    "Está molesto por la demora.",
    "Tiene la boleta de compra a mano.",
    "Prefiere que lo contacten por correo.",
    "Queda atento a la respuesta.",
)
DIAGNOSES = (
    "Placa de control dañada por sobretensión.",
    "Sensor de temperatura defectuoso.",
    "Falta de mantención: filtros obstruidos.",
    "Mal uso: golpe en la carcasa.",
    "Error de facturación en el sistema de cobro.",
    "Configuración de red incorrecta.",
    "Desgaste normal de componentes.",
    "Cable de alimentación en mal estado.",
    "Producto sin falla; el cliente no conocía una función.",
    "Retraso del transportista en la entrega.",
)
RESOLUTIONS = (
    "Se reemplazó la placa de control y se probó el equipo junto al cliente.",
    "Se cambió el sensor; el equipo funciona correctamente.",
    "Se hizo una mantención completa con limpieza de filtros.",
    "Se emitió una nota de crédito por el cobro duplicado.",
    "Se reconfiguró la conexión; el cliente confirma que funciona.",
    "Se cambió el producto por uno nuevo.",
    "Se coordinó un nuevo despacho, recibido conforme.",
    "Se explicó al cliente el uso correcto del equipo.",
    "Se devolvió el dinero al medio de pago original.",
    "Se envió el repuesto al domicilio del cliente.",
)
INTERNAL_COMMENTS = (
    "Cliente no contesta; se deja mensaje de voz.",
    "Se solicita el repuesto a bodega.",
    "Visita agendada para el jueves en la mañana.",
    "Escalado a supervisión por ser un caso reiterado.",
    "Llegó el repuesto; se coordina la instalación.",
    "Se revisa el historial: tiene dos casos anteriores por la misma falla.",
)
PUBLIC_COMMENTS = (
    "Estimado cliente, recibimos su solicitud y la estamos revisando.",
    "Le confirmamos la visita técnica para la fecha acordada.",
    "Su caso fue resuelto; quedamos atentos a cualquier consulta.",
    "Necesitamos una foto de la boleta para continuar con su caso.",
)
TIME_NOTES = (
    "Llamada con el cliente",
    "Diagnóstico en taller",
    "Visita a terreno",
    "Revisión de antecedentes",
    "Coordinación con bodega",
)
SERIAL_PREFIXES = ("SMG", "LGE", "WHP", "MAB", "BSH", "ELX")
MINUTES = (10, 15, 20, 30, 45, 60, 90, 120)


@dataclass(frozen=True)
class DemoLogin:
    email: str
    name: str
    role: str
    password: str


DEMO_LOGINS = (
    DemoLogin(f"admin@{DEMO_DOMAIN}", "Adela Administradora", Role.ADMIN.value, "admin-demo"),
    DemoLogin(
        f"supervisor@{DEMO_DOMAIN}", "Sergio Supervisor", Role.SUPERVISOR.value, "supervisor-demo"
    ),
    DemoLogin(f"agent@{DEMO_DOMAIN}", "Ana Agente", Role.AGENT.value, "agent-demo"),
)


@dataclass
class DemoResult:
    customers: int
    tickets: int
    first_number: int | None
    last_number: int | None


# -- logins, plugins and staff ------------------------------------------------------------------


def existing_demo_logins() -> list[DemoLogin]:
    """The demo logins present in this database (created by ``serve --demo``)."""
    emails = set(
        db.session.scalars(select(User.email).where(User.email.in_(d.email for d in DEMO_LOGINS)))
    )
    return [login for login in DEMO_LOGINS if login.email in emails]


def ensure_demo_logins() -> list[DemoLogin]:
    """Create the admin, supervisor and agent logins a demo visitor signs in with."""
    present = {login.email for login in existing_demo_logins()}
    for login in DEMO_LOGINS:
        if login.email not in present:
            create_user(
                {
                    "email": login.email,
                    "name": login.name,
                    "role": login.role,
                    "password": login.password,
                    "locale": "es",
                }
            )
    return list(DEMO_LOGINS)


def enable_first_party_plugins() -> list[str]:
    """Enable every installed first-party plugin that loaded, in dependency order."""
    reg = registry()
    names = [name for name in FIRST_PARTY_PLUGINS if name in reg.plugins]
    ordered = dependency_order(names)
    for name in ordered:
        enable_plugin(name)
    return ordered


def _ensure_staff(pools: _Pools, rng: random.Random) -> tuple[list[int], list[int]]:
    """Queue ids and agent ids for demo tickets; creates queues and a team when missing."""
    active_queues = select(Queue).where(Queue.active.is_(True)).order_by(Queue.id)
    queues = list(db.session.scalars(active_queues))
    if not queues:
        taken = set(db.session.scalars(select(Queue.name)))
        queues = [Queue(name=n, description=d) for n, d in DEMO_QUEUES if n not in taken]
        db.session.add_all(queues)
    agents = list(
        db.session.scalars(
            select(User).where(User.active.is_(True), User.role == Role.AGENT).order_by(User.id)
        )
    )
    if len(agents) < MIN_AGENTS:
        taken = set(db.session.scalars(select(User.email)))
        for n in range(1, DEMO_TEAM_SIZE + 1):
            email = f"agente{n}@{DEMO_DOMAIN}"
            if email in taken:
                continue
            # Not a demo login: an admin sets a password with `deskcore users reset-password`.
            name = f"{rng.choice(pools.first_names)} {rng.choice(pools.last_names)}"
            user = User(name=name, email=email, role=Role.AGENT.value)
            user.set_password(secrets.token_urlsafe(16))
            user.queues = rng.sample(queues, k=min(len(queues), rng.randint(1, 2)))
            db.session.add(user)
            agents.append(user)
    db.session.flush()
    if not agents:
        raise Conflict("demo tickets need an active agent; create one with: deskcore users create")
    return [q.id for q in queues], [a.id for a in agents]


# -- pools and classifications ------------------------------------------------------------------


@dataclass
class _Pools:
    """Names and places drawn once from Faker; rows pick from them."""

    first_names: list[str]
    last_names: list[str]
    streets: list[str]
    cities: list[str]
    companies: list[str]

    @classmethod
    def build(cls, fake: Faker) -> _Pools:
        return cls(
            first_names=sorted({fake.first_name() for _ in range(400)}),
            last_names=sorted({fake.last_name() for _ in range(400)}),
            streets=sorted({fake.street_name() for _ in range(300)}),
            cities=sorted({fake.city() for _ in range(200)}),
            companies=sorted({fake.company() for _ in range(200)}),
        )


@dataclass
class _Classifications:
    """The desk's own active classifications; demo data never adds any."""

    type_ids: list[int]
    type_weights: list[int]
    priority_ids: list[int]
    priority_weights: list[int]
    topic_ids: list[int]
    initial: Status
    by_category: dict[str, list[Status]] = field(default_factory=dict)
    commitment_type_ids: list[int] = field(default_factory=list)

    @classmethod
    def load(cls) -> _Classifications:
        def active(model):
            stmt = select(model).where(model.active.is_(True)).order_by(model.position, model.id)
            return list(db.session.scalars(stmt))

        statuses, types, priorities = active(Status), active(TicketType), active(Priority)
        if not (statuses and types and priorities):
            raise Conflict("the desk has no statuses, types or priorities; run `deskcore init`")
        by_category = {c.value: [s for s in statuses if s.category == c] for c in StatusCategory}
        if not by_category[StatusCategory.OPEN]:
            raise ValidationError({"status_id": ["no active status in category open"]})
        # The status open_ticket gives a new ticket (tickets_base.first_status).
        initial = min(by_category["open"], key=lambda s: (not s.is_default, s.position))
        return cls(
            type_ids=[t.id for t in types],
            type_weights=[4 if t.is_default else 2 for t in types],
            priority_ids=[p.id for p in priorities],
            priority_weights=[6 if p.is_default else 2 for p in priorities],
            topic_ids=[t.id for t in active(Topic)],
            initial=initial,
            by_category=by_category,
            commitment_type_ids=[t.id for t in active(CommitmentType)],
        )


def rut(body: int) -> str:
    """A Chilean national ID (RUT) with its modulo-11 check digit: 12345678 → 12.345.678-5."""
    total, factor = 0, 2
    for digit in reversed(str(body)):
        total += int(digit) * factor
        factor = 2 if factor == 7 else factor + 1
    check = {11: "0", 10: "K"}.get(11 - total % 11, str(11 - total % 11))
    return f"{body:,}".replace(",", ".") + f"-{check}"


def _received_times(rng: random.Random, count: int, now: datetime) -> list[datetime]:
    """Over the last two years, busier lately, mostly on weekdays and in office hours."""
    times = []
    for _ in range(count):
        day = now.date() - timedelta(days=int(HISTORY_DAYS * rng.random() ** 1.4))
        if day.weekday() >= 5 and rng.random() < 0.8:
            day -= timedelta(days=day.weekday() - 4)
        start = datetime(day.year, day.month, day.day, OFFICE_HOURS_UTC[0], tzinfo=UTC)
        moment = start + timedelta(minutes=rng.randrange(60 * (OFFICE_HOURS_UTC[1] - 12)))
        times.append(min(moment, now - timedelta(minutes=rng.randint(1, 600))))
    return sorted(times)


# -- rows ---------------------------------------------------------------------------------------


@dataclass
class _Plan:
    """What happens to one ticket after it is received, for its child rows."""

    received: datetime
    end: datetime
    finished: bool = False
    resolved_at: datetime | None = None
    closed_at: datetime | None = None
    #: (action, old status, new status, when) after "opened"
    events: list[tuple[str, str, str, datetime]] = field(default_factory=list)
    courtesy: bool = False
    opener: int = 0
    worker: int = 0


class _Generator:
    def __init__(self, rng, pools, classes, queue_ids, agent_ids, consultant_ids, now):
        self.rng, self.pools, self.classes = rng, pools, classes
        self.queue_ids, self.agent_ids, self.consultant_ids = queue_ids, agent_ids, consultant_ids
        self.now = now
        #: What core stores for a ticket no plugin covers, in the desk's language.
        self.no_coverage_reason = in_desk_language(NO_COVERAGE_REASON)

    def customer(self, kind: str, id_body: int, phones: list[int], created: datetime):
        """A customer row and its phone numbers (one mobile, sometimes a landline)."""
        rng, pools = self.rng, self.pools
        if kind == CustomerKind.CONSULTANT:
            name = rng.choice(pools.companies)
            email = f"contacto@{fold(name).split()[0]}.{rng.choice(EMAIL_DOMAINS)}"
        else:
            first, last = rng.choice(pools.first_names), rng.choice(pools.last_names)
            name = f"{first} {last} {rng.choice(pools.last_names)}"
            local = f"{fold(first).split()[0]}.{fold(last).replace(' ', '')}{rng.randint(1, 999)}"
            email = f"{local}@{rng.choice(EMAIL_DOMAINS)}" if rng.random() < 0.85 else None
        address = f"{rng.choice(pools.streets)} {rng.randint(10, 9999)}"
        if rng.random() < 0.3:
            address += f", depto. {rng.randint(11, 2405)}"
        national_id = rut(id_body)
        row = {
            "kind": kind,
            "name": name,
            "name_folded": fold(name)[:200],
            "national_id": national_id,
            "national_id_key": national_id_key(national_id),
            "email": email,
            "address": address,
            "city": rng.choice(pools.cities),
            "notes": "",
            "created_at": created,
            "updated_at": created,
        }
        mobile, landline = divmod(phones[0], 10**4), divmod(phones[1], 10**4)
        numbers = [
            (
                rng.choice(
                    ("+56 9 {} {:04d}", "9 {} {:04d}", "+569{}{:04d}", "(9) {}-{:04d}")
                ).format(*mobile),
                "Móvil",
            )
        ]
        if rng.random() < 0.35:
            numbers.append(("+56 2 {} {:04d}".format(*landline), rng.choice(("Casa", "Trabajo"))))
        return row, numbers

    def ticket(self, number: int, received: datetime, customer_id: int) -> tuple[dict, _Plan]:
        """A ticket row and the plan of its life: status changes, end, who worked on it."""
        rng, classes = self.rng, self.classes
        priority = rng.choices(range(len(classes.priority_ids)), classes.priority_weights)[0]
        status, plan = self._life(received, priority)
        plan.opener = rng.choice(self.agent_ids)
        plan.worker = rng.choice(self.agent_ids)
        plan.courtesy = courtesy = rng.random() < COURTESY_SHARE
        unassigned = not plan.finished and rng.random() < 0.15
        row = {
            "number": number,
            "customer_id": customer_id,
            "consultant_id": self._maybe(0.08, lambda: rng.choice(self.consultant_ids))
            if self.consultant_ids
            else None,
            "subject": rng.choice(SUBJECTS),
            "symptom": f"{rng.choice(OPENERS)} {rng.choice(FACTS)}. {rng.choice(REQUESTS)}",
            "type_id": rng.choices(classes.type_ids, classes.type_weights)[0],
            "priority_id": classes.priority_ids[priority],
            "status_id": status.id,
            "topic_id": rng.choice(classes.topic_ids) if classes.topic_ids else None,
            "channel": rng.choices(list(CHANNEL_WEIGHTS), list(CHANNEL_WEIGHTS.values()))[0].value,
            "received_at": received,
            "estimated_close_on": (received + timedelta(days=rng.randint(2, 10))).date(),
            "serial_number": self._maybe(
                0.4, lambda: f"{rng.choice(SERIAL_PREFIXES)}{rng.randint(10**7, 10**8 - 1)}"
            ),
            "order_ref": self._maybe(0.25, lambda: f"OV-{rng.randint(100000, 999999)}"),
            "payment_ref": self._maybe(0.08, lambda: f"PG-{rng.randint(100000, 999999)}"),
            "dispatch_ref": self._maybe(0.1, lambda: f"DS-{rng.randint(100000, 999999)}"),
            "diagnosis": rng.choice(DIAGNOSES) if plan.finished or rng.random() < 0.4 else "",
            "resolution": rng.choice(RESOLUTIONS) if plan.finished else "",
            "entered_by_id": plan.opener,
            "queue_id": rng.choice(self.queue_ids) if self.queue_ids else None,
            "assignee_id": None if unassigned else plan.worker,
            "coverage": (Coverage.COURTESY if courtesy else Coverage.BILLABLE).value,
            "coverage_plugin": "core",
            "coverage_reason": COURTESY_REASON if courtesy else self.no_coverage_reason,
            "coverage_overridden": courtesy,
            "created_at": received,
            "updated_at": plan.end,
            "resolved_at": plan.resolved_at,
            "closed_at": plan.closed_at,
        }
        return row, plan

    def _maybe(self, share: float, make: Callable[[], object]):
        return make() if self.rng.random() < share else None

    def _life(self, received: datetime, priority: int) -> tuple[Status, _Plan]:
        """Final status, timestamps and status events; urgent tickets finish sooner."""
        rng, by_category, initial = self.rng, self.classes.by_category, self.classes.initial
        resolved_statuses = by_category[StatusCategory.RESOLVED]
        closed_statuses = by_category[StatusCategory.CLOSED]
        hours = rng.lognormvariate(math.log(60 / (1 + priority)), 0.9)
        resolved_at = received + timedelta(hours=hours)
        plan = _Plan(received, received)
        events = plan.events
        finishable = resolved_statuses or closed_statuses
        if not finishable or resolved_at >= self.now or rng.random() < 0.03:
            waiting = by_category[StatusCategory.WAITING]
            if waiting and rng.random() < 0.3:
                target = rng.choice(waiting)
                events.append(("status", initial.name, target.name, self._between(received)))
                plan.end = events[-1][3]
                return target, plan
            return initial, plan
        plan.finished = True
        plan.resolved_at = resolved_at
        status = initial
        waiting = by_category[StatusCategory.WAITING]
        if waiting and rng.random() < HELD_SHARE:
            # Put on hold for a while on the way (the waiting-time reports read these).
            held = self._between(received, received + (resolved_at - received) / 2)
            back = self._between(held, resolved_at)
            target = rng.choice(waiting)
            events.append(("status", initial.name, target.name, held))
            events.append(("status", target.name, initial.name, back))
        if resolved_statuses and (not closed_statuses or rng.random() < 0.6):
            target = rng.choice(resolved_statuses)
            events.append(("status", status.name, target.name, resolved_at))
            status, plan.end = target, resolved_at
            closed_at = resolved_at + timedelta(hours=rng.uniform(1, 72))
        else:
            closed_at = resolved_at
        if closed_statuses and closed_at < self.now and (status is initial or rng.random() < 0.8):
            target = rng.choice(closed_statuses)
            events.append(("closed", status.name, target.name, closed_at))
            status, plan.end, plan.closed_at = target, closed_at, closed_at
        return status, plan

    def _between(self, start: datetime, end: datetime | None = None) -> datetime:
        end = end or self.now
        return start + (end - start) * self.rng.random()

    def children(self, ticket_id: int, plan: _Plan) -> tuple[list, list, list, list]:
        """History events, comments, time entries and commitments (at most one, with the
        due dates it had before, oldest first, under "moves") of one ticket."""
        rng, initial, worker = self.rng, self.classes.initial, plan.worker

        def event(action, field, old, new, at, actor=worker):
            return {
                "ticket_id": ticket_id,
                "actor_id": actor,
                "source": "core",
                "action": action,
                "field": field,
                "old_value": old,
                "new_value": new,
                "created_at": at,
            }

        history = [event("opened", "status", None, initial.name, plan.received, plan.opener)]
        if plan.courtesy:
            history.append(
                event(
                    "coverage",
                    "coverage",
                    f"{Coverage.BILLABLE.value}: {self.no_coverage_reason}",
                    f"{Coverage.COURTESY.value}: {COURTESY_REASON}",
                    self._between(plan.received, max(plan.end, plan.received)),
                )
            )
        history += [event(a, "status", old, new, at) for a, old, new, at in plan.events]
        end = plan.end if plan.finished else self.now
        comments = [
            {
                "ticket_id": ticket_id,
                "author_id": worker,
                "body": rng.choice(INTERNAL_COMMENTS if internal else PUBLIC_COMMENTS),
                "visibility": (Visibility.INTERNAL if internal else Visibility.PUBLIC).value,
                "created_at": self._between(plan.received, end),
            }
            for internal in (rng.random() < 0.7 for _ in range(self._count(0.35, 3)))
        ]
        entries = [
            {
                "ticket_id": ticket_id,
                "agent_id": worker,
                "minutes": rng.choice(MINUTES),
                "spent_on": self._between(plan.received, end).date(),
                "note": rng.choice(TIME_NOTES),
                "created_at": end,
            }
            for _ in range(self._count(0.7 if plan.finished else 0.25, 2))
        ]
        return history, comments, entries, self._commitments(ticket_id, plan)

    def _commitments(self, ticket_id: int, plan: _Plan) -> list[dict]:
        """A promise on a quarter of the tickets; some had their due date moved first."""
        rng, types = self.rng, self.classes.commitment_type_ids
        if not types or rng.random() >= COMMITMENT_SHARE:
            return []
        due = plan.received + timedelta(hours=rng.uniform(24, 120))
        done = plan.finished and (plan.end >= due or rng.random() < 0.7)
        moves = []
        if rng.random() < MOVED_SHARE:
            earlier = due - timedelta(hours=rng.uniform(6, 20))
            moves = [(earlier, self._between(plan.received, min(earlier, self.now)))]
        return [
            {
                "ticket_id": ticket_id,
                "type_id": rng.choice(types),
                "responsible_id": plan.worker,
                "due_at": due,
                "note": "",
                "done": done,
                "done_at": min(due, plan.end) if done else None,
                "created_by_id": plan.worker,
                "created_at": plan.received,
                "moves": moves,
            }
        ]

    def _count(self, share: float, most: int) -> int:
        return self.rng.randint(1, most) if self.rng.random() < share else 0


# -- filling ------------------------------------------------------------------------------------


def fill_demo(
    customers: int,
    tickets: int,
    seed: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> DemoResult:
    """Add demo customers and tickets in one transaction; ``progress(n)`` per rows done.

    Tickets go to the new customers, or to existing ones when ``customers`` is 0. Their
    numbers continue the "tickets" sequence, which is moved past them so none is reused.
    """
    if customers < 0 or tickets < 0:
        raise ValidationError({"count": ["customers and tickets must not be negative"]})
    rng = random.Random(seed)
    fake = Faker("es_CL")
    fake.seed_instance(rng.getrandbits(32))
    now = datetime.now(UTC)
    report = progress or (lambda n: None)
    pools = _Pools.build(fake)
    with unit_of_work():
        # Its own generator: the rest of the data is the same whether staff existed or not.
        queue_ids, agent_ids = _ensure_staff(pools, random.Random(rng.random()))
        classes = _Classifications.load()
        received = _received_times(rng, tickets, now)
        kinds = [
            CustomerKind.CONSULTANT if rng.random() < 0.03 else CustomerKind.CUSTOMER
            for _ in range(customers)
        ]
        person_indexes = [i for i, kind in enumerate(kinds) if kind == CustomerKind.CUSTOMER]
        gen = _Generator(rng, pools, classes, queue_ids, agent_ids, [], now)
        new_ids = _insert_customers(gen, kinds, person_indexes, received, report)
        gen.consultant_ids = [
            new_ids[i] for i, kind in enumerate(kinds) if kind == CustomerKind.CONSULTANT
        ] or _existing_ids(CustomerKind.CONSULTANT)
        owners = [new_ids[i] for i in person_indexes] or _existing_ids(CustomerKind.CUSTOMER)
        if tickets and not owners:
            raise ValidationError({"customers": ["tickets need customers; add some first"]})
        first, last = _reserve_numbers(tickets)
        ticket_owners = _owners(rng, owners, tickets)
        for start in range(0, tickets, CHUNK):
            numbers = range(first + start, first + min(start + CHUNK, tickets))
            end = start + len(numbers)
            _insert_tickets(gen, numbers, received[start:end], ticket_owners[start:end])
            report(len(numbers))
    return DemoResult(customers, tickets, first if tickets else None, last if tickets else None)


def _owners(rng: random.Random, customer_ids: list[int], count: int) -> list[int]:
    """Who each ticket belongs to: a few customers call often, most once or twice."""
    if not count:
        return []
    weights = [rng.lognormvariate(0, 1) for _ in customer_ids]
    return rng.choices(customer_ids, weights, k=count)


def _existing_ids(kind: str) -> list[int]:
    stmt = select(Customer.id).where(Customer.kind == kind).order_by(Customer.id).limit(100_000)
    return list(db.session.scalars(stmt))


def _reserve_numbers(count: int) -> tuple[int, int]:
    """Take ``count`` consecutive ticket numbers; the row stays locked until commit."""
    ensure_sequence(TICKET_SEQUENCE)
    last = db.session.execute(
        update(Sequence)
        .where(Sequence.name == TICKET_SEQUENCE)
        .values(last_value=Sequence.last_value + count)
        .returning(Sequence.last_value)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    return last - count + 1, last


def _insert_customers(gen, kinds, person_indexes, received, report) -> list[int]:
    """Insert customers with phones and name tokens; returns their ids in order."""
    rng = gen.rng
    people = set(person_indexes)
    id_bodies = iter(rng.sample(range(5_000_000, 26_000_000), len(people)))
    company_bodies = iter(rng.sample(range(76_000_000, 78_000_000), len(kinds) - len(people)))
    mobiles = rng.sample(range(10**7, 10**8), len(kinds))
    landlines = rng.sample(range(2 * 10**7, 3 * 10**7), len(kinds))
    earliest = received[0] if received else gen.now
    ids: list[int] = []
    for start in range(0, len(kinds), CHUNK):
        rows, phones = [], []
        for i in range(start, min(start + CHUNK, len(kinds))):
            body = next(id_bodies if i in people else company_bodies)
            created = earliest - timedelta(days=rng.uniform(0, 90))
            row, numbers = gen.customer(kinds[i], body, [mobiles[i], landlines[i]], created)
            rows.append(row)
            phones.append(numbers)
        chunk_ids = list(
            db.session.execute(
                insert(Customer).returning(Customer.id, sort_by_parameter_order=True), rows
            ).scalars()
        )
        phone_rows, token_rows = [], []
        for customer_id, row, numbers in zip(chunk_ids, rows, phones, strict=True):
            token_rows += [
                {"customer_id": customer_id, "token": t} for t in sorted(name_tokens(row["name"]))
            ]
            for number, label in numbers:
                digits = phone_digits(number)
                phone_rows.append(
                    {
                        "customer_id": customer_id,
                        "number": number,
                        "label": label,
                        "digits": digits,
                        "digits_reversed": digits[::-1],
                    }
                )
        db.session.execute(insert(Phone), phone_rows)
        db.session.execute(insert(CustomerNameToken), token_rows)
        ids += chunk_ids
        report(len(rows))
    return ids


def _insert_tickets(gen, numbers: range, received: list, owners: list) -> None:
    rows, plans = [], []
    for number, at, owner in zip(numbers, received, owners, strict=True):
        row, plan = gen.ticket(number, at, owner)
        rows.append(row)
        plans.append(plan)
    db.session.execute(insert(Ticket).execution_options(render_nulls=True), rows)
    ids = dict(
        db.session.execute(
            select(Ticket.number, Ticket.id).where(Ticket.number.between(numbers[0], numbers[-1]))
        ).all()
    )
    history, comments, entries, promises = [], [], [], []
    for number, plan in zip(numbers, plans, strict=True):
        h, c, e, p = gen.children(ids[number], plan)
        history += h
        comments += c
        entries += e
        promises += p
    for model, child_rows in ((HistoryEvent, history), (Comment, comments), (TimeEntry, entries)):
        if child_rows:
            db.session.execute(insert(model).execution_options(render_nulls=True), child_rows)
    _insert_commitments(promises)


def _insert_commitments(promises: list[dict]) -> None:
    """Commitments, then the due-date changes of those that were moved (one per ticket)."""
    if not promises:
        return
    moves = {p["ticket_id"]: (p.pop("moves"), p) for p in promises}
    db.session.execute(insert(Commitment).execution_options(render_nulls=True), promises)
    moved = [ticket for ticket, (changes, _) in moves.items() if changes]
    if not moved:
        return
    by_ticket = dict(
        db.session.execute(
            select(Commitment.ticket_id, Commitment.id).where(Commitment.ticket_id.in_(moved))
        ).all()
    )
    changes = []
    for ticket in moved:
        history, promise = moves[ticket]
        dues = [old for old, _ in history] + [promise["due_at"]]
        for (old, at), new in zip(history, dues[1:], strict=True):
            changes.append(
                {
                    "commitment_id": by_ticket[ticket],
                    "old_due_at": old,
                    "new_due_at": new,
                    "reason": "Cliente pidió otra fecha",
                    "changed_by_id": promise["responsible_id"],
                    "changed_at": at,
                }
            )
    db.session.execute(insert(CommitmentDueChange), changes)
