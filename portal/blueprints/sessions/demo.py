"""Demo archive for ``make run``: both municipalities' council, sessions, recordings and
Georgian transcripts, loaded from the recorded fixtures through the real parsers and the
reconciler (no network). Idempotent: everything is looked up before it is created."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from portal.blueprints.sessions.council import attendance, documents, reports, services
from portal.blueprints.sessions.models import (
    Body,
    CouncilSession,
    Member,
    MemberReport,
    Membership,
    Recording,
)
from portal.blueprints.sessions.recordings import recordings
from portal.blueprints.sessions.sources import facebook, youtube
from portal.blueprints.sessions.sources.recorded import RecordedYoutubeDL, caption_fetch, load_json, public_resolver
from portal.blueprints.sessions.sources.sync import Clients, Reconciler
from portal.extensions import db
from portal.tenancy import tenant_context

MEMBERS = {
    "poti": [("nino-beridze", "ნინო ბერიძე", "Nino Beridze", "საკრებულოს თავმჯდომარე"),
             ("giorgi-kobalia", "გიორგი ქობალია", "Giorgi Kobalia", "წევრი"),
             ("tamar-zhvania", "თამარ ჟვანია", "Tamar Zhvania", ""),
             ("levan-khubua", "ლევან ხუბუა", "Levan Khubua", "")],
    "abasha": [("davit-chikovani", "დავით ჩიქოვანი", "Davit Chikovani", "საკრებულოს თავმჯდომარე"),
               ("maia-gogua", "მაია გოგუა", "Maia Gogua", ""),
               ("zurab-kvaratskhelia", "ზურაბ კვარაცხელია", "Zurab Kvaratskhelia", "")],
}

# (body slug, title, UTC start, status, [(agenda item, reporter slug)], attendance absent)
SESSIONS = {
    "poti": [
        ("sakrebulo", "საკრებულოს მე-13 სხდომა", datetime(2025, 2, 12, 8, 0, tzinfo=UTC), "held",
         [("სკოლამდელი განათლება და საბავშვო ბაღების რეაბილიტაცია", "tamar-zhvania"),
          ("საზოგადოებრივი ტრანსპორტი: ახალი ავტობუსის ხაზი", "levan-khubua")], []),
        ("sakrebulo", "საკრებულოს მე-14 სხდომა", datetime(2025, 3, 14, 8, 0, tzinfo=UTC), "held",
         [("2025 წლის ბიუჯეტის ცვლილებები", "giorgi-kobalia"),
          ("სანაპირო ზოლის კეთილმოწყობა", "levan-khubua"), ("სხვადასხვა", None)],
         ["tamar-zhvania"]),
        ("finance", "ფინანსური კომისიის სხდომა", datetime(2025, 3, 10, 7, 0, tzinfo=UTC), "held",
         [("ბიუჯეტის ცვლილებების წინასწარი განხილვა", "giorgi-kobalia")], []),
    ],
    "abasha": [
        ("sakrebulo", "საკრებულოს მე-8 სხდომა", datetime(2025, 3, 25, 8, 0, tzinfo=UTC), "held",
         [("ბიუჯეტის შესრულების ანგარიში", "maia-gogua")], []),
        ("sakrebulo", "საკრებულოს მე-9 სხდომა", datetime(2025, 4, 22, 7, 0, tzinfo=UTC), "held",
         [("სოფლის მხარდაჭერის პროგრამა", "maia-gogua"),
          ("გზების რეაბილიტაცია მარანსა და ნორიოში", "zurab-kvaratskhelia")], []),
    ],
}
# (member slug, year, report text): published activity reports for the archive's demo year.
REPORTS = {
    "poti": [
        ("nino-beridze", 2025,
         "2025 წელს ვუძღვებოდი საკრებულოს სხდომებს და ვხვდებოდი ამომრჩევლებს ყოველთვიურად, "
         "მალთაყვისა და ცენტრალური უბნის მცხოვრებლებთან.\n\n"
         "ჩემი ინიციატივით განხილულ იქნა სანაპირო ზოლის კეთილმოწყობისა და საბავშვო ბაღების "
         "რეაბილიტაციის საკითხები; ბიუჯეტის ცვლილებებში გათვალისწინებულია ორივე პროექტი."),
        ("giorgi-kobalia", 2025,
         "ფინანსური კომისიის თავმჯდომარედ მოვამზადე 2025 წლის ბიუჯეტის ცვლილებები და "
         "წარვუდგინე საკრებულოს.\n\n"
         "ამომრჩევლების თხოვნით კომისიამ განიხილა ქუჩების განათებისა და წყალარინების "
         "სამუშაოების დაფინანსება."),
        ("levan-khubua", 2025,
         "მოვამზადე საკითხები ახალი ავტობუსის ხაზისა და სანაპირო ზოლის კეთილმოწყობის შესახებ; "
         "ორივე განიხილა საკრებულომ."),
    ],
    "abasha": [
        ("maia-gogua", 2025,
         "2025 წელს წარვადგინე ბიუჯეტის შესრულების ანგარიში და სოფლის მხარდაჭერის პროგრამა.\n\n"
         "ვხვდებოდი მარანისა და ნორიოს მცხოვრებლებს; მათი თხოვნით საკრებულომ განიხილა გზების "
         "რეაბილიტაცია."),
        ("zurab-kvaratskhelia", 2025,
         "ჩემი ინიციატივით საკრებულომ განიხილა გზების რეაბილიტაცია მარანსა და ნორიოში. "
         "ამომრჩევლებთან შეხვედრები ყოველ ორ თვეში ერთხელ იმართებოდა."),
    ],
}
BODIES = [("sakrebulo", "საკრებულო", "Sakrebulo", "council"),
          ("finance", "ფინანსური კომისია", "Finance committee", "committee")]


def _tenant(slug: str):
    # portal.demo.load_demo commits the municipalities before this loader runs.
    from flask import current_app

    from portal.tenancy import get_directory

    return get_directory(current_app).by_slug(slug)


def load_demo_archive() -> str:
    counts = []
    for slug in ("poti", "abasha"):
        tenant = _tenant(slug)
        if tenant is None:
            continue
        with tenant_context(tenant):
            _load(tenant)
            total = db.session.scalar(select(func.count(CouncilSession.id)))
            counts.append(f"{slug}: {total} sessions")
    return "sessions archive: " + ", ".join(counts)


#: Sakrebulo elections are every four years (October 2021, 2025, ...); a term starts in November.
FIRST_TERM_START = date(2021, 11, 1)


def current_term_end(today: date) -> date:
    """The end of the term in office on ``today``: demo members were elected in 2021 and
    re-elected since, so the demo shows a council in office whatever the date."""
    end = FIRST_TERM_START.replace(year=FIRST_TERM_START.year + 4)
    while end <= today:
        end = end.replace(year=end.year + 4)
    return end


def _get_or_add(model, defaults: dict | None = None, **keys):
    row = db.session.scalar(select(model).filter_by(**keys))
    if row is None:
        row = model(**keys, **(defaults or {}))
        db.session.add(row)
        db.session.flush()
    return row


def _load(tenant) -> None:
    bodies = {slug: _get_or_add(Body, {"name_ka": ka, "name_en": en, "kind": kind,
                                       "position": i}, slug=slug)
              for i, (slug, ka, en, kind) in enumerate(BODIES)}
    members = {}
    for slug, ka, en, role in MEMBERS[tenant.slug]:
        member = _get_or_add(Member, {"name_ka": ka, "name_en": en, "speaker_label": ka,
                                      "party": "", "term_start": FIRST_TERM_START,
                                      "term_end": current_term_end(date.today())}, slug=slug)
        if member.term_end <= date.today():  # loaded in an earlier term
            member.term_end = current_term_end(date.today())
        _get_or_add(Membership, {"role": role}, member_id=member.id,
                    body_id=bodies["sakrebulo"].id, starts_on=FIRST_TERM_START)
        members[slug] = member
    chair = members.get("giorgi-kobalia") or next(iter(members.values()))
    _get_or_add(Membership, {"role": "თავმჯდომარე"}, member_id=chair.id,
                body_id=bodies["finance"].id, starts_on=FIRST_TERM_START)
    for body_slug, title, starts, status, agenda, absent in SESSIONS[tenant.slug]:
        if db.session.scalar(select(CouncilSession).filter_by(title=title)):
            continue
        session = services.create_session(
            bodies[body_slug], title, starts, status=status, place="საკრებულოს სხდომათა დარბაზი",
            agenda=[(item, members.get(who)) for item, who in agenda])
        for slug, member in members.items():
            attendance.record_attendance(session, member,
                                         "absent" if slug in absent else "present")
        if body_slug == "sakrebulo" and agenda:
            text = "\n".join(f"{i}. {item}" for i, (item, _) in enumerate(agenda, 1))
            documents.add_document(session, "dgis-cesrigi.txt", text.encode(), kind="agenda",
                                   title="დღის წესრიგი")
    _upcoming(tenant, bodies)
    _recordings(tenant)
    _machine_transcript(tenant)
    _reports(tenant, members)


def _reports(tenant, members) -> None:
    for slug, year, text in REPORTS[tenant.slug]:
        member = members.get(slug)
        if member is None or db.session.scalar(select(MemberReport).filter_by(
                member_id=member.id, year=year)):
            continue
        reports.publish(reports.save_report(member, year, text=text))


def _upcoming(tenant, bodies) -> None:
    today = datetime.now(UTC).replace(hour=8, minute=0, second=0, microsecond=0)
    for body_slug, title, days in (("sakrebulo", "საკრებულოს მორიგი სხდომა", 7),
                                   ("finance", "ფინანსური კომისიის მორიგი სხდომა", 10)):
        if not db.session.scalar(select(CouncilSession).filter_by(title=title)):
            services.create_session(bodies[body_slug], title, today + timedelta(days=days),
                                    place="საკრებულოს სხდომათა დარბაზი",
                                    agenda=[("მიმდინარე საკითხები", None)])


def _recordings(tenant) -> None:
    clients = Clients(ytdlp_factory=RecordedYoutubeDL, caption_fetch=caption_fetch,
                      resolver=public_resolver)
    reconciler = Reconciler(tenant, clients)
    if tenant.slug == "poti":
        videos = [youtube.parse_video(v) for v in load_json("youtube/poti_videos.json")["items"]]
    else:
        videos = [facebook.parse_video(v)
                  for v in load_json("facebook/abasha_videos.json")["data"]]
    for video in videos:
        reconciler.upsert(video)
        _captions_once(reconciler, video)
    db.session.flush()
    live = db.session.scalar(select(Recording).filter_by(live_status="live"))
    if live is not None and live.session_id is None:
        title = "საკრებულოს რიგგარეშე სხდომა"
        session = db.session.scalar(select(CouncilSession).filter_by(title=title))
        if session is None:
            body = db.session.scalar(select(Body).filter_by(slug="sakrebulo"))
            session = services.create_session(
                body, title, datetime.now(UTC).replace(minute=0, second=0, microsecond=0),
                status="live", place="საკრებულოს სხდომათა დარბაზი",
                agenda=[("ქალაქის სანიაღვრე სისტემის საგანგებო სამუშაოები", None)])
        recordings.confirm_match(live, session)


def _captions_once(reconciler: Reconciler, video) -> None:
    # A recording loaded by an earlier demo run without captions gets them now.
    recording = db.session.scalar(select(Recording).filter_by(
        source=video.source, external_id=video.external_id))
    if recording is not None and not recording.has_transcript and recording.live_status != "live":
        reconciler.captions(recording)


#: A machine transcript for the first recording that has no captions (speech-to-text as the
#: job stores it: lines marked "machine", cost and time in the sync panel).
MACHINE_LINES = {
    "poti": [(12.0, "კარგი, ვიწყებთ. დღის წესრიგში ოთხი საკითხი გვაქვს."),
             (41.5, "პირველი საკითხია მალთაყვის სანაპიროს კეთილმოწყობის პროექტი."),
             (95.0, "პროექტი ითვალისწინებს ახალ ველობილიკს და გარე განათებას."),
             (150.2, "მეორე საკითხი ეხება წყალმომარაგების გრაფიკს ზაფხულის თვეებში."),
             (212.8, "კენჭისყრის შედეგად გადაწყვეტილება მიღებულია ერთხმად.")],
    "abasha": [(8.0, "სხდომას ვხსნით, კვორუმი გვაქვს."),
               (63.0, "ნორიოში გზის რეაბილიტაცია ზაფხულამდე დასრულდება."),
               (128.4, "სოფლის მხარდაჭერის პროგრამით ოცდაორი პროექტი დაფინანსდა."),
               (190.0, "შემდეგი სხდომა მაისში გაიმართება.")],
}


def _machine_transcript(tenant) -> None:
    from portal.blueprints.sessions.models import Transcription
    from portal.blueprints.sessions.recordings import machine
    from portal.blueprints.sessions.sources.speech import Result, Segment

    if db.session.scalar(select(Transcription.id).limit(1)) is not None:
        return
    recording = db.session.scalar(
        select(Recording).where(Recording.has_transcript.is_(False),
                                Recording.live_status.not_in(("live", "upcoming")))
        .order_by(Recording.published_at.desc()).limit(1))
    if recording is None:
        return
    lines = MACHINE_LINES[tenant.slug]
    segments = [Segment(start, start + 9.5, text) for start, text in lines]
    seconds = float(recording.duration_seconds or 3600)
    run = Transcription(recording_id=recording.id, backend="google", status="running",
                        started_at=datetime.now(UTC) - timedelta(minutes=14))
    db.session.add(run)
    db.session.flush()
    machine.store(run, recording, Result(segments, seconds, seconds, seconds / 7.5,
                                         int(seconds // 55) + 1))
    if not run.cost:  # the demo shows Google's list price for ka-GE, $0.016 a minute
        run.cost, run.currency = round(run.billed_seconds / 60 * 0.016, 2), "USD"
