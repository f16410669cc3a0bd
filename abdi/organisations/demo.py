"""The demo agency loaded by ``make demo`` (``manage.py seed_demo``).

A regency government (Pemerintah Kabupaten Sleman) with its population and civil registry
office (Dinas Kependudukan dan Pencatatan Sipil, 40 ASN over three levels of leadership: the
head of office, the secretary and four division heads, and two sub-division heads), a small
second office (BKPSDM) as a partner for cross-unit features, an agency administrator, a platform
administrator and two citizens.

Everything is created through the real services with the platform administrator as the actor,
so the audit trail is the one a real agency would have. NIPs are derived from each person's
birth date, first appointment and gender (Perka BKN 22/2007; PPPK in the PP 49/2018 form) and
are therefore the same on every run.

Idempotent: everything runs in one transaction; the agency's tree is created only when the
agency (code ``kab-sleman``) does not exist yet, and each account only when its username is
free. Demo passwords are public: never load this into a production database.
"""

from __future__ import annotations

import time
import zlib
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from . import services
from .choices import Gender, InstansiKind, PositionKind, TimeZone
from .models import Citizen, Employee, Instansi, Position, UnitKerja

__all__ = [
    "DEMO_PASSWORD",
    "DEMO_TODAY",
    "DemoError",
    "DemoLogin",
    "DemoResult",
    "demo_logins",
    "demo_nips",
    "format_logins",
    "seed_demo",
]

#: The password of every demo account. Public on purpose: this is demo data only.
DEMO_PASSWORD = "abdi-demo-2026"  # noqa: S105

#: The day the demo data is consistent with (the first working Monday of 2026): every NIP
#: appointment is before it, and it is passed as ``today`` to the services that take one.
DEMO_TODAY = date(2026, 1, 5)

INSTANSI_CODE = "kab-sleman"
INSTANSI_NAME = "Pemerintah Kabupaten Sleman"
EMAIL_DOMAIN = "slemankab.go.id"

PLATFORM_ADMIN_USERNAME = "admin"
AGENCY_ADMIN_USERNAME = "admin.sleman"

JPT = PositionKind.JPT
ADM = PositionKind.ADMINISTRATOR
PGW = PositionKind.PENGAWAS
FUNG = PositionKind.FUNGSIONAL
PEL = PositionKind.PELAKSANA
#: Kinds whose position heads its unit; everyone else is staff of the unit's head.
LEADERSHIP_KINDS = frozenset({JPT, ADM, PGW})


class DemoError(Exception):
    """The database holds something that prevents loading the demo (never partially)."""


class Writer(Protocol):
    def write(self, msg: str) -> Any: ...


# ---------------------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoUnit:
    code: str
    name: str
    parent: str | None = None  # parent unit code


@dataclass(frozen=True)
class DemoStaff:
    """One ASN and their position.

    A person of a leadership kind (JPT, administrator, pengawas) heads ``unit`` and reports to
    the head of the parent unit; anyone else reports to the head of ``unit``. ``tmt`` is the
    first appointment as CPNS (``YYYY-MM``) of a PNS; a PPPK has ``pppk`` = appointment year.
    """

    unit: str
    title: str
    kind: str
    front: str
    name: str
    back: str
    gender: str
    born: str  # YYYY-MM-DD
    tmt: str = ""
    pppk: int = 0
    email: str = ""  # local part; default "first.last" from the name

    @property
    def is_head(self) -> bool:
        return self.kind in LEADERSHIP_KINDS

    @property
    def birth_date(self) -> date:
        return date.fromisoformat(self.born)

    @property
    def email_address(self) -> str:
        if self.email:
            local = self.email
        else:
            words = [w.lower() for w in self.name.replace(".", " ").split()]
            local = words[0] if len(words) == 1 else f"{words[0]}.{words[-1]}"
        return f"{local}@{EMAIL_DOMAIN}"


UNITS: list[DemoUnit] = [
    DemoUnit("DUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil"),
    DemoUnit("DUKCAPIL-SET", "Sekretariat", "DUKCAPIL"),
    DemoUnit("DUKCAPIL-SET-UMPEG", "Subbagian Umum dan Kepegawaian", "DUKCAPIL-SET"),
    DemoUnit("DUKCAPIL-SET-RENKEU", "Subbagian Perencanaan dan Keuangan", "DUKCAPIL-SET"),
    DemoUnit("DUKCAPIL-DAFDUK", "Bidang Pelayanan Pendaftaran Penduduk", "DUKCAPIL"),
    DemoUnit("DUKCAPIL-CAPIL", "Bidang Pelayanan Pencatatan Sipil", "DUKCAPIL"),
    DemoUnit("DUKCAPIL-PIAK", "Bidang Pengelolaan Informasi Administrasi Kependudukan", "DUKCAPIL"),
    DemoUnit("DUKCAPIL-PDIP", "Bidang Pemanfaatan Data dan Inovasi Pelayanan", "DUKCAPIL"),
    DemoUnit("BKPSDM", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia"),
]

L, P = Gender.MALE.value, Gender.FEMALE.value
S = DemoStaff
OLO = "Operator Layanan Operasional"
PP = "Pengadministrasi Perkantoran"
PDK = "Pengelola Data Kependudukan"
PLO = "Penata Layanan Operasional"

# Heads come first in each unit; units in tree order. The Dukcapil office: 8 heads, 32 staff.
STAFF: list[DemoStaff] = [
    # Dinas Kependudukan dan Pencatatan Sipil
    S("DUKCAPIL", "Kepala Dinas Kependudukan dan Pencatatan Sipil", JPT,
      "Drs.", "Suharyanto Wibowo", "M.Si.", L, "1968-05-17", "1994-03"),
    # Sekretariat
    S("DUKCAPIL-SET", "Sekretaris", ADM,
      "", "Sri Endah Kusumawardani", "S.H., M.H.", P, "1971-10-03", "1998-12",
      email="endah.kusumawardani"),
    S("DUKCAPIL-SET-UMPEG", "Kepala Subbagian Umum dan Kepegawaian", PGW,
      "", "Yohanes Bayu Prasetyo", "S.Sos.", L, "1979-01-22", "2005-01"),
    S("DUKCAPIL-SET-UMPEG", "Arsiparis Ahli Pertama", FUNG,
      "", "Fitri Handayani", "S.Hum.", P, "1991-12-02", "2019-03"),
    S("DUKCAPIL-SET-UMPEG", "Analis Sumber Daya Manusia Aparatur Ahli Pertama", FUNG,
      "", "Muhammad Rizky Ramadhan", "S.Psi.", L, "1995-02-26", "2021-01",
      email="rizky.ramadhan"),
    S("DUKCAPIL-SET-UMPEG", PP, PEL, "", "Sumarni", "", P, "1972-08-19", "1996-03"),
    S("DUKCAPIL-SET-UMPEG", PP, PEL,
      "", "Stefanus Yudha Kurniawan", "A.Md.", L, "1987-05-30", "2010-12"),
    S("DUKCAPIL-SET-UMPEG", OLO, PEL, "", "Wahyu Setiawan", "", L, "1990-09-14", pppk=2023),
    S("DUKCAPIL-SET-RENKEU", "Kepala Subbagian Perencanaan dan Keuangan", PGW,
      "", "Ni Luh Putu Ayu Lestari", "S.E., M.M.", P, "1982-07-09", "2009-03",
      email="ayu.lestari"),
    S("DUKCAPIL-SET-RENKEU", "Perencana Ahli Pertama", FUNG,
      "", "Nurul Hidayah", "S.E.", P, "1993-03-17", "2019-03"),
    S("DUKCAPIL-SET-RENKEU", "Analis Keuangan Pusat dan Daerah Ahli Pertama", FUNG,
      "", "Kadek Wira Adnyana", "S.Ak.", L, "1994-10-08", "2021-01", email="wira.adnyana"),
    S("DUKCAPIL-SET-RENKEU", PLO, PEL, "", "Siti Aminah", "A.Md.", P, "1985-01-25", "2010-04"),
    # Bidang Pelayanan Pendaftaran Penduduk
    S("DUKCAPIL-DAFDUK", "Kepala Bidang Pelayanan Pendaftaran Penduduk", ADM,
      "", "Ahmad Fauzi Nasution", "S.IP., M.A.P.", L, "1974-02-11", "2000-03",
      email="fauzi.nasution"),
    S("DUKCAPIL-DAFDUK", "Penata Kependudukan dan Keluarga Berencana Ahli Muda", FUNG,
      "", "Zulkarnain Chaniago", "S.Sos.", L, "1977-08-07", "2003-12"),
    S("DUKCAPIL-DAFDUK", "Penata Kependudukan dan Keluarga Berencana Ahli Pertama", FUNG,
      "", "Maria Goreti Ngongo", "S.Sos.", P, "1990-05-13", "2015-03"),
    S("DUKCAPIL-DAFDUK", PDK, PEL, "", "Dwi Astuti", "A.Md.", P, "1986-11-11", "2009-03"),
    S("DUKCAPIL-DAFDUK", OLO, PEL, "", "Sugeng Riyadi", "", L, "1975-04-20", "1999-03"),
    S("DUKCAPIL-DAFDUK", OLO, PEL, "", "Dimas Aji Saputra", "", L, "1996-07-03", pppk=2022),
    S("DUKCAPIL-DAFDUK", OLO, PEL, "", "Putri Anggraeni", "A.Md.", P, "1998-01-19", pppk=2024),
    S("DUKCAPIL-DAFDUK", PP, PEL, "", "Erna Simanjuntak", "", P, "1984-10-30", "2008-01"),
    # Bidang Pelayanan Pencatatan Sipil
    S("DUKCAPIL-CAPIL", "Kepala Bidang Pelayanan Pencatatan Sipil", ADM,
      "", "Dyah Ayu Pramesti", "S.H.", P, "1976-06-28", "2002-12", email="dyah.pramesti"),
    S("DUKCAPIL-CAPIL", "Analis Kebijakan Ahli Muda", FUNG,
      "", "Agus Triyono", "S.H., M.H.", L, "1980-08-17", "2005-12"),
    S("DUKCAPIL-CAPIL", "Penata Kependudukan dan Keluarga Berencana Ahli Pertama", FUNG,
      "", "Cut Nadia Rahmi", "S.Sos.", P, "1992-06-21", "2019-03", email="nadia.rahmi"),
    S("DUKCAPIL-CAPIL", OLO, PEL, "", "Asep Sunandar", "", L, "1976-12-12", "2000-01"),
    S("DUKCAPIL-CAPIL", OLO, PEL, "", "Ratna Sari Dewi", "A.Md.", P, "1983-09-09", "2007-01"),
    S("DUKCAPIL-CAPIL", OLO, PEL, "", "Yosua Rumbiak", "A.Md.", L, "1994-04-27", pppk=2023),
    S("DUKCAPIL-CAPIL", PP, PEL, "", "Tri Wulandari", "", P, "1988-02-14", "2010-12"),
    # Bidang Pengelolaan Informasi Administrasi Kependudukan
    S("DUKCAPIL-PIAK", "Kepala Bidang Pengelolaan Informasi Administrasi Kependudukan", ADM,
      "", "Andi Muhammad Ridwan", "S.Kom., M.T.", L, "1978-11-15", "2006-02"),
    S("DUKCAPIL-PIAK", "Administrator Database Kependudukan Ahli Muda", FUNG,
      "", "Hendro Kusumo", "S.Kom.", L, "1981-03-03", "2006-03"),
    S("DUKCAPIL-PIAK", "Administrator Database Kependudukan Ahli Pertama", FUNG,
      "", "Aditya Nugraha", "S.Kom.", L, "1993-09-27", "2019-03"),
    S("DUKCAPIL-PIAK", "Administrator Database Kependudukan Ahli Pertama", FUNG,
      "", "Febriana Lumban Gaol", "S.T.", P, "1995-02-02", "2021-01",
      email="febriana.lumbangaol"),
    S("DUKCAPIL-PIAK", "Pranata Komputer Ahli Pertama", FUNG,
      "", "Reza Pahlevi Siregar", "S.Kom.", L, "1997-11-23", pppk=2022),
    S("DUKCAPIL-PIAK", PDK, PEL, "", "Linda Wijayanti", "A.Md.", P, "1989-07-07", "2011-03"),
    S("DUKCAPIL-PIAK", OLO, PEL, "", "Slamet Raharjo", "", L, "1973-05-05", "1997-03"),
    # Bidang Pemanfaatan Data dan Inovasi Pelayanan
    S("DUKCAPIL-PDIP", "Kepala Bidang Pemanfaatan Data dan Inovasi Pelayanan", ADM,
      "", "Theresia Maria Sitompul", "S.Si., M.Kom.", P, "1980-04-05", "2008-03"),
    S("DUKCAPIL-PDIP", "Analis Kebijakan Ahli Muda", FUNG,
      "", "Yulia Rachmawati", "S.IP., M.Si.", P, "1983-07-31", "2008-12"),
    S("DUKCAPIL-PDIP", "Pranata Komputer Ahli Pertama", FUNG,
      "", "Christian Wowor", "S.Kom.", L, "1992-12-24", "2019-03"),
    S("DUKCAPIL-PDIP", PDK, PEL, "", "Anisa Fitriani", "S.Stat.", P, "1996-08-16", "2021-01"),
    S("DUKCAPIL-PDIP", PLO, PEL, "", "Rudy Tanuwijaya", "S.E.", L, "1985-12-05", "2010-12"),
    S("DUKCAPIL-PDIP", OLO, PEL, "", "La Ode Safrin", "", L, "1991-03-10", pppk=2023,
      email="laode.safrin"),
    # Badan Kepegawaian dan Pengembangan Sumber Daya Manusia
    S("BKPSDM", "Kepala Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", JPT,
      "Dr.", "Endang Sulistyowati", "S.Psi., M.Si.", P, "1969-09-09", "1996-03"),
    S("BKPSDM", "Analis Sumber Daya Manusia Aparatur Ahli Muda", FUNG,
      "", "Bagus Wicaksono", "S.Psi., M.Psi.", L, "1984-05-16", "2009-03"),
    S("BKPSDM", "Analis Sumber Daya Manusia Aparatur Ahli Pertama", FUNG,
      "", "Dewi Kartika Sari", "S.H.", P, "1994-01-08", "2019-03", email="dewi.kartika"),
    S("BKPSDM", PP, PEL, "", "Arif Budiman", "", L, "1989-06-06", "2015-03"),
]  # fmt: skip


@dataclass(frozen=True)
class DemoCitizen:
    username: str
    name: str
    nik: str  # Sleman (34.04), valid for DEMO_TODAY
    email: str = ""
    phone: str = ""


CITIZENS: list[DemoCitizen] = [
    # 34.04.07 Depok, born 14 March 1992, male.
    DemoCitizen("warga@example.id", "Rahmat Hidayat", "3404071403920003", email="warga@example.id"),
    # 34.04.12 Ngaglik, born 21 September 1987, female (day + 40).
    DemoCitizen("+6281234567890", "Sri Wahyuni", "3404126109870002", phone="+6281234567890"),
]


def _nip_prefix(person: DemoStaff) -> str:
    gender_digit = "1" if person.gender == Gender.MALE else "2"
    appointed = f"{person.pppk:04d}21" if person.pppk else person.tmt.replace("-", "")
    return f"{person.birth_date:%Y%m%d}{appointed}{gender_digit}"


def demo_nips() -> dict[str, str]:
    """Return each demo ASN's NIP by name.

    Birth date, TMT CPNS (or PPPK year + ``21``) and gender give the first 15 digits; the
    sequence starts at a number derived from those digits and counts up within the prefix,
    so every run gives the same NIPs.
    """
    used: dict[str, int] = {}
    nips: dict[str, str] = {}
    for person in STAFF:
        prefix = _nip_prefix(person)
        sequence = used.get(prefix, zlib.crc32(prefix.encode()) % 40) + 1
        used[prefix] = sequence
        nips[person.name] = f"{prefix}{sequence:03d}"
    return nips


# ---------------------------------------------------------------------------------------
# Logins
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoLogin:
    role: str
    username: str
    password: str
    look_at: str


def _head_of(unit_code: str) -> DemoStaff:
    return next(p for p in STAFF if p.unit == unit_code and p.is_head)


def demo_logins() -> list[DemoLogin]:
    """Return the accounts worth signing in with, one per role."""
    nips = demo_nips()
    kadis = _head_of("DUKCAPIL")
    kabid = _head_of("DUKCAPIL-DAFDUK")
    staff = next(p for p in STAFF if p.name == "Fitri Handayani")
    return [
        DemoLogin("Platform admin", PLATFORM_ADMIN_USERNAME, DEMO_PASSWORD,
                  "/admin/ and every agency"),
        DemoLogin("Agency admin", AGENCY_ADMIN_USERNAME, DEMO_PASSWORD,
                  "/organisasi/kab-sleman/: unit tree, positions, employees, import"),
        DemoLogin(f"Kepala Dinas ({kadis.name})", nips[kadis.name], DEMO_PASSWORD,
                  "whole Dukcapil office, 5 direct reports"),
        DemoLogin(f"Kepala Bidang ({kabid.name})", nips[kabid.name], DEMO_PASSWORD,
                  "Bidang Pendaftaran Penduduk and its 7 staff"),
        DemoLogin(f"Staff ({staff.name})", nips[staff.name], DEMO_PASSWORD,
                  "/organisasi/profil/: 3 leaders up to the Kepala Dinas"),
        DemoLogin("Citizen (email)", CITIZENS[0].username, DEMO_PASSWORD,
                  "/akun/saya/: profile with masked NIK"),
        DemoLogin("Citizen (phone)", CITIZENS[1].username, DEMO_PASSWORD,
                  "sign in with a phone number"),
    ]  # fmt: skip


def format_logins(logins: list[DemoLogin]) -> str:
    """Return the logins as a plain-text table."""
    header = DemoLogin("Role", "Username", "Password", "Look at")
    rows = [header, *logins]
    widths = [max(len(getattr(r, f)) for r in rows) for f in ("role", "username", "password")]

    def line(r: DemoLogin) -> str:
        cells = [r.role.ljust(widths[0]), r.username.ljust(widths[1]), r.password.ljust(widths[2])]
        return "  ".join([*cells, r.look_at]).rstrip()

    rule = "  ".join("-" * w for w in [*widths, len(header.look_at)])
    return "\n".join([line(header), rule, *(line(r) for r in logins)])


# ---------------------------------------------------------------------------------------
# Seeding
# ---------------------------------------------------------------------------------------


@dataclass
class DemoResult:
    created: bool  # False when the demo agency was already there
    instansi: Instansi
    logins: list[DemoLogin]
    employees_created: int = 0
    accounts_created: int = 0
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0


class _Seeder:
    def __init__(self, stdout: Writer | None) -> None:
        self.stdout = stdout
        self.user_model = get_user_model()
        self._password_hash: str | None = None
        self.result_notes: list[str] = []
        self.accounts_created = 0
        self.admin_existed = False

    def say(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(message + "\n")

    @property
    def password_hash(self) -> str:
        # One PBKDF2 hash shared by every demo account: hashing 50 passwords separately
        # takes ~20 s with the production hasher. Fine for a public demo password only.
        if self._password_hash is None:
            self._password_hash = make_password(DEMO_PASSWORD)
        return self._password_hash

    def platform_admin(self) -> Any:
        user = self.user_model.objects.filter(username=PLATFORM_ADMIN_USERNAME).first()
        if user is None:
            self.accounts_created += 1
            return self.user_model.objects.create(
                username=PLATFORM_ADMIN_USERNAME,
                first_name="Administrator",
                last_name="Platform",
                email="admin@abdi.localhost",
                is_superuser=True,
                is_staff=True,
                password=self.password_hash,
            )
        if not user.is_superuser:
            raise DemoError(
                f"The account {PLATFORM_ADMIN_USERNAME!r} exists but is not a platform "
                "administrator; rename it before loading the demo."
            )
        self.admin_existed = True
        return user

    def agency_admin(self, actor: Any, instansi: Instansi) -> None:
        user = self.user_model.objects.filter(username=AGENCY_ADMIN_USERNAME).first()
        if user is None:
            self.accounts_created += 1
            user = self.user_model.objects.create(
                username=AGENCY_ADMIN_USERNAME,
                first_name="Admin",
                last_name="Pemkab Sleman",
                email=f"admin@{EMAIL_DOMAIN}",
                password=self.password_hash,
            )
        if not instansi.administrators.filter(pk=user.pk).exists():
            services.instansi_add_administrator(actor=actor, instansi=instansi, user=user)

    def organisation(self, actor: Any, instansi: Instansi) -> int:
        units: dict[str, UnitKerja] = {}
        for unit in UNITS:
            units[unit.code] = services.unit_create(
                actor=actor,
                instansi=instansi,
                code=unit.code,
                name=unit.name,
                parent=units[unit.parent] if unit.parent else None,
            )
        parents = {u.code: u.parent for u in UNITS}
        heads: dict[str, Position] = {}
        nips = demo_nips()
        user_ids: list[int] = []
        for person in STAFF:
            if person.is_head:
                parent = parents[person.unit]
                leader = heads[parent] if parent else None
            else:
                leader = heads[person.unit]
            position = services.position_create(
                actor=actor,
                unit=units[person.unit],
                title=person.title,
                kind=person.kind,
                is_unit_head=person.is_head,
                reports_to=leader,
            )
            if person.is_head:
                heads[person.unit] = position
            employee = services.employee_create(
                actor=actor,
                instansi=instansi,
                nip=nips[person.name],
                name=person.name,
                front_title=person.front,
                back_title=person.back,
                position=position,
                email=person.email_address,
                today=DEMO_TODAY,
            )
            assert employee.user_id is not None  # employee_create always makes the account
            user_ids.append(employee.user_id)
        # employee_create leaves the account without a usable password when none is given;
        # give every account the shared demo hash in one statement (see password_hash).
        self.user_model.objects.filter(pk__in=user_ids).update(password=self.password_hash)
        self.accounts_created += len(user_ids)
        return len(user_ids)

    def citizens(self) -> None:
        for citizen in CITIZENS:
            if self.user_model.objects.filter(username=citizen.username).exists():
                continue
            if Citizen.objects.filter(nik=citizen.nik).exists():
                self.result_notes.append(
                    f"NIK of demo citizen {citizen.username} already registered; skipped."
                )
                continue
            services.citizen_register(
                username=citizen.username,
                password=DEMO_PASSWORD,
                name=citizen.name,
                nik=citizen.nik,
                email=citizen.email,
                phone=citizen.phone,
                today=DEMO_TODAY,
            )
            self.accounts_created += 1


def seed_demo(*, stdout: Writer | None = None) -> DemoResult:
    """Load the demo agency, its people and the demo accounts; safe to run again.

    Progress lines go to ``stdout`` when given. Raises :class:`DemoError` (and changes
    nothing) when an existing record prevents loading the demo.
    """
    started = time.monotonic()
    seeder = _Seeder(stdout)
    employees_created = 0
    with transaction.atomic():
        actor = seeder.platform_admin()
        instansi = Instansi.objects.filter(code=INSTANSI_CODE).first()
        created = instansi is None
        if instansi is None:
            seeder.say(f"Creating the demo agency {INSTANSI_NAME} ({INSTANSI_CODE})…")
            clashes = list(
                Employee.objects.filter(nip__in=demo_nips().values()).values_list("nip", flat=True)
            )
            if clashes:
                raise DemoError(f"Demo NIPs already belong to other employees: {clashes}")
            instansi = services.instansi_create(
                actor=actor,
                code=INSTANSI_CODE,
                name=INSTANSI_NAME,
                kind=InstansiKind.KABUPATEN,
                timezone_name=TimeZone.WIB,
            )
            employees_created = seeder.organisation(actor, instansi)
            if seeder.admin_existed:
                seeder.result_notes.append(
                    f"Used the existing platform administrator {PLATFORM_ADMIN_USERNAME!r}; "
                    "its password was not changed."
                )
        else:
            seeder.say(f"The demo agency {instansi.name} ({INSTANSI_CODE}) is already present.")
        seeder.agency_admin(actor, instansi)
        seeder.citizens()
    result = DemoResult(
        created=created,
        instansi=instansi,
        logins=demo_logins(),
        employees_created=employees_created,
        accounts_created=seeder.accounts_created,
        notes=seeder.result_notes,
        seconds=time.monotonic() - started,
    )
    if created:
        seeder.say(
            f"Created {len(UNITS)} units, {employees_created} employees and "
            f"{result.accounts_created} accounts in {result.seconds:.1f} s."
        )
    for note in result.notes:
        seeder.say(note)
    return result
