"""Demo projects for ``flask demo load``: roads, drainage and parks in Poti (in its four
administrative units) and Abasha, as lines and points on the map, with dated updates and
drawn photos; one draft in Poti. Idempotent: a project is looked up by its title first."""

from __future__ import annotations

import io
from datetime import date

from PIL import Image, ImageDraw
from sqlalchemy import func, select

from portal.blueprints.projects import services
from portal.blueprints.projects.models import Project
from portal.extensions import db
from portal.tenancy import tenant_context

# (title ka, title en, description ka, description en, place ka, place en, unit, location
#  ("lat, lon" lines), contractor, budget GEL, spent GEL, start, planned end, status, per cent,
#  published, updates: (date, ka, en, photo alt ka or None, photo alt en))
PROJECTS = {
    "poti": [
        ("რუსთაველის რკალის რეაბილიტაცია", "Rustaveli Circle rehabilitation",
         "რუსთაველის რკალზე და მიმდებარე ქუჩაზე იცვლება ასფალტი, ტროტუარები, განათება და "
         "სანიაღვრე ცხაურები.",
         "The asphalt, pavements, lighting and storm-drain grates of Rustaveli Circle and the street "
         "beside it are being replaced.",
         "რუსთაველის რკალიდან დავით აღმაშენებლის ქუჩის ბოლომდე",
         "From Rustaveli Circle to the end of Davit Aghmashenebeli Street",
         "ცენტრი", "42.1462, 41.6712\n42.1455, 41.6740\n42.1449, 41.6771\n42.1441, 41.6803",
         "შპს „კოლხეთის გზები“", 1_850_000, 1_120_000, date(2026, 4, 1), date(2027, 5, 31), "in_progress", 60, True,
         [(date(2026, 5, 12), "დაიწყო ძველი საფარის მოხსნა.", "Removal of the old surface began.",
           "ექსკავატორი ძველ ასფალტს ხსნის", "An excavator removing the old asphalt"),
          (date(2026, 9, 30), "პირველ მონაკვეთზე ახალი ასფალტი დაიგო და ტროტუარები მოეწყო.",
           "New asphalt and pavements are in place on the first section.",
           "ახალი ასფალტი რკალის პირველ მონაკვეთზე", "New asphalt on the first section of the circle")]),
        ("ნაბადის სანიაღვრე არხის რეკონსტრუქცია", "Nabada storm-drain channel reconstruction",
         "ნაბადის უბნის მთავარი სანიაღვრე არხი იწმინდება და ბეტონის კედლებით მაგრდება, რომ "
         "ძლიერი წვიმის შემდეგ ქუჩები არ დაიტბოროს.",
         "The main storm-drain channel of the Nabada district is cleaned and lined with concrete "
         "walls, so that the streets no longer flood after heavy rain.",
         "ნაბადის უბანი, ჭავჭავაძის ქუჩის გასწვრივ მდინარე რიონამდე",
         "Nabada district, along Chavchavadze Street to the Rioni",
         "ნაბადა", "42.1592, 41.6801\n42.1571, 41.6826\n42.1549, 41.6844\n42.1530, 41.6869",
         "შპს „აქვასერვისი“", 960_000, 310_000, date(2026, 7, 15), date(2027, 3, 31), "in_progress", 35, True,
         [(date(2026, 8, 20), "არხი ნალექისგან გაიწმინდა 600 მეტრზე.", "600 metres of the channel are cleared of silt.",
           "გაწმენდილი სანიაღვრე არხი", "The cleared storm-drain channel")]),
        ("მალთაყვის ზღვისპირა პარკის კეთილმოწყობა", "Maltakva seaside park improvement",
         "ზღვისპირა პარკში გაჩნდება ბავშვთა მოედანი, სკამები, სასმელი წყალი და ღამის განათება.",
         "The seaside park will get a playground, benches, drinking water and lighting at night.",
         "მალთაყვა, ზღვისპირა პარკი სანაპიროს ქუჩასთან", "Maltakva, the seaside park by the coast road",
         "მალთაყვა", "42.1236, 41.6585", "", 420_000, 0, date(2027, 3, 1), date(2027, 9, 30), "planned", 0, True, []),
        ("კუნძულის ხიდის შეკეთება", "Island bridge repair",
         "კუნძულის უბნის დამაკავშირებელ ხიდს შეეცვალა მოაჯირები და სავალი ნაწილი.",
         "The bridge to the Island district has new railings and a new deck.",
         "კუნძული, ხიდი ფოთის არხზე", "Island district, the bridge over the Poti canal",
         "კუნძული", "42.1503, 41.6637", "შპს „ხიდმშენი“", 275_000, 268_400, date(2025, 9, 1), date(2026, 3, 31),
         "completed", 100, True,
         [(date(2026, 3, 28), "ხიდი ხელახლა გაიხსნა მოძრაობისთვის.", "The bridge is open to traffic again.",
           "განახლებული ხიდი ახალი მოაჯირებით", "The renewed bridge with its new railings")]),
        ("კუნძულის ქუჩების განათება", "Street lighting on the Island",
         "კუნძულის ქუჩებზე 80 LED სანათის დამონტაჟება.", "80 LED street lights on the Island's streets.",
         "კუნძულის უბნის ქუჩები", "Streets of the Island district", "კუნძული",
         "42.1518, 41.6612\n42.1527, 41.6655", "", 150_000, 0, date(2027, 4, 1), date(2027, 8, 31), "planned", 0,
         False, []),
    ],
    "abasha": [
        ("აბაშის ცენტრალური პარკის რეაბილიტაცია", "Abasha central park rehabilitation",
         "პარკში განახლდა ბილიკები, სკამები და შადრევანი, მოეწყო ბავშვთა მოედანი.",
         "The park's paths, benches and fountain are renewed, and it has a new playground.",
         "აბაშა, თავისუფლების ქუჩა, ცენტრალური პარკი", "Abasha, Tavisupleba Street, the central park",
         "", "42.2041, 42.2052", "შპს „მწვანე ქალაქი“", 380_000, 372_000, date(2025, 10, 1), date(2026, 6, 30),
         "completed", 100, True,
         [(date(2026, 6, 25), "პარკი მოსახლეობისთვის გაიხსნა.", "The park is open to the public.",
           "განახლებული პარკი და შადრევანი", "The renewed park and its fountain")]),
        ("მარნის გზის მოასფალტება", "Paving the road to Marani",
         "აბაშიდან სოფელ მარნამდე 4,5 კილომეტრიანი გზის მოასფალტება.",
         "Paving the 4.5 km road from Abasha to the village of Marani.",
         "აბაშიდან სოფელ მარნამდე", "From Abasha to the village of Marani",
         "", "42.2050, 42.2080\n42.2101, 42.2165\n42.2163, 42.2248\n42.2214, 42.2311",
         "შპს „გზამშენი“", 2_400_000, 900_000, date(2026, 5, 1), date(2027, 10, 31), "in_progress", 40, True,
         [(date(2026, 10, 5), "პირველი 1,8 კილომეტრი მოასფალტდა.", "The first 1.8 km are paved.",
           "ახლად მოასფალტებული გზა სოფლისკენ", "The newly paved road towards the village")]),
        ("ჭანისწყლის სანიაღვრე სისტემა", "Chanistskali drainage system",
         "ქალაქის სამხრეთ უბნის სანიაღვრე სისტემის მოწყობა; სამუშაოები შეჩერებულია პროექტის ცვლილების გამო.",
         "A drainage system for the town's southern district; the work is suspended while the design is changed.",
         "აბაშის სამხრეთ უბანი, მდინარე ჭანისწყლის გასწვრივ", "The town's southern district, along the Chanistskali",
         "", "42.1998, 42.2010\n42.1983, 42.2047\n42.1975, 42.2089", "შპს „აქვასერვისი“", 640_000, 120_000,
         date(2026, 3, 1), date(2026, 12, 31), "suspended", 20, True, []),
    ],
}


def photo(seed: int) -> bytes:
    """A drawn photo (sky, a road, a worker's cone) as a JPEG with an EXIF block."""
    image = Image.new("RGB", (1600, 1000), (120, 170, 215))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 560, 1600, 1000), fill=(80 + seed * 10, 120, 70))
    draw.polygon([(620, 560), (980, 560), (1400 + seed * 20, 1000), (200 - seed * 20, 1000)], fill=(60, 60, 66))
    for y in range(600, 1000, 80):
        draw.rectangle((790, y, 810, y + 40), fill=(240, 240, 240))
    draw.polygon([(1200, 900), (1260, 700), (1320, 900)], fill=(240, 120, 20))
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "Demo camera"
    exif[0x0132] = "2026:09:30 11:00:00"
    image.save(out, "JPEG", quality=85, exif=exif)
    return out.getvalue()


def load_demo_projects() -> str:
    from flask import current_app

    from portal.tenancy import get_directory

    made = []
    for slug, rows in PROJECTS.items():
        tenant = get_directory(current_app).by_slug(slug)
        if tenant is None:
            continue
        with tenant_context(tenant):
            for n, row in enumerate(rows):
                _project(n, *row)
            made.append(f"{slug}: {db.session.scalar(select(func.count(Project.id)))}")
    return "projects: " + ", ".join(made)


def _project(n, title, title_en, description, description_en, place, place_en, unit, location, contractor,
             budget, spent, starts_on, ends_on, status, percent, published, updates) -> None:
    if db.session.scalar(select(Project.id).where(Project.title == title)) is not None:
        return
    project = services.save_project(
        None, title=title, title_en=title_en, description=description, description_en=description_en,
        location=location, place=place, place_en=place_en, unit=unit, contractor=contractor, budget=budget,
        spent=spent, starts_on=starts_on, ends_on=ends_on, status=status, percent_complete=percent)
    for m, (day, body, body_en, alt, alt_en) in enumerate(updates):
        services.post_update(project, happened_on=day, body=body, body_en=body_en,
                             photo=photo(n + m) if alt else None, alt=alt or "", alt_en=alt_en or "")
    if published:
        services.publish(project)
