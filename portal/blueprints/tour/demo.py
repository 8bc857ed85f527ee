"""Demo sights for ``flask demo load``: Poti's lake, national park, lighthouse, cathedral, port
and the Rioni's mouth, and a few places of Abasha, each with a drawn photo (Pillow, no
internet); one draft in Poti. Idempotent: a sight is looked up by its name first.

The words keep to modest, well-known facts; editors replace them with their own."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw
from sqlalchemy import func, select

from portal.blueprints.tour import services
from portal.blueprints.tour.models import Sight
from portal.extensions import db
from portal.tenancy import tenant_context

# (name ka, name en, category, "lat, lon", description ka, description en, address ka,
#  address en, photo alt ka, photo alt en, published)
SIGHTS = {
    "poti": [
        ("პალიასტომის ტბა", "Lake Paliastomi", "natural", "42.1050, 41.7150",
         "ლაგუნური ტბა ქალაქის სამხრეთით, კოლხეთის ეროვნული პარკის ნაწილი. ტბის ირგვლივ ჭაობები "
         "და ლერწმიანებია, სადაც ბევრი წყლის ფრინველი ბინადრობს.",
         "A lagoon lake south of the city, part of Kolkheti National Park. Marshes and reed beds "
         "around it are home to many water birds.",
         "ფოთის სამხრეთით, ქალაქის ცენტრიდან დაახლოებით 5 კმ", "South of Poti, about 5 km from the city centre",
         "პალიასტომის ტბა და ლერწმიანი ნაპირი", "Lake Paliastomi and its reedy shore", True),
        ("კოლხეთის ეროვნული პარკი", "Kolkheti National Park", "natural", "42.0900, 41.7400",
         "1998 წელს დაარსებული ეროვნული პარკი კოლხეთის დაბლობის ჭაობებს, ტბებსა და ტყეებს იცავს. "
         "პარკის ჭარბტენიანი ტერიტორიები საერთაშორისო მნიშვნელობისაა (რამსარის კონვენცია).",
         "Founded in 1998, the national park protects the marshes, lakes and forests of the Kolkheti "
         "lowland. Its wetlands are of international importance (Ramsar Convention).",
         "ფოთის სამხრეთით, პალიასტომის ტბის გარშემო", "South of Poti, around Lake Paliastomi",
         "კოლხეთის ჭაობიანი ტყე", "A marsh forest of Kolkheti", True),
        ("ფოთის შუქურა", "Poti Lighthouse", "historical", "42.1532, 41.6561",
         "თუჯის შუქურა, რომელიც 1864 წელს აიგო ინგლისში დამზადებული ნაწილებისგან. "
         "ის დღესაც ქალაქის ერთ-ერთი სიმბოლოა.",
         "A cast-iron lighthouse put up in 1864 from parts made in England; it is still one of the "
         "city's symbols.",
         "ნავსადგურის მახლობლად, ზღვის სანაპიროზე", "On the seafront near the port",
         "თეთრი შუქურა ცის ფონზე", "The white lighthouse against the sky", True),
        ("ფოთის საკათედრო ტაძარი (სობორო)", "Poti Cathedral (Soboro)", "religious", "42.1466, 41.6726",
         "ქალაქის ცენტრში, 1906–1907 წლებში აშენებული ტაძარი, რომლის არქიტექტურა აია-სოფიას "
         "ტაძარს ეფუძნება. საბჭოთა წლებში შენობაში თეატრი იყო; დღეს ის კვლავ ეკლესიაა.",
         "Built in 1906–1907 in the city centre after the model of Hagia Sophia. In Soviet times the "
         "building housed a theatre; today it is a church again.",
         "ფოთი, ქალაქის ცენტრი, რუსთაველის რკალი", "Poti, the city centre, Rustaveli Circle",
         "ტაძრის გუმბათები", "The cathedral's domes", True),
        ("ფოთის საზღვაო ნავსადგური", "Port of Poti", "historical", "42.1560, 41.6470",
         "შავი ზღვის სანაპიროზე მდებარე ნავსადგური, საქართველოს ერთ-ერთი უმთავრესი საზღვაო კარიბჭე.",
         "A port on the Black Sea coast, one of Georgia's main gateways by sea.",
         "ფოთი, ნავსადგურის ტერიტორია (შესვლა მხოლოდ ნებართვით)",
         "Poti, the port area (entry by permit only)",
         "ამწეები და გემი ნავსადგურში", "Cranes and a ship in the port", True),
        ("მდინარე რიონის შესართავი", "Mouth of the Rioni river", "natural", "42.1850, 41.6350",
         "საქართველოს ერთ-ერთი უდიდესი მდინარე, რიონი, ქალაქის ჩრდილოეთით შავ ზღვას ერთვის.",
         "The Rioni, one of Georgia's largest rivers, flows into the Black Sea north of the city.",
         "ფოთის ჩრდილოეთით, ზღვის სანაპიროს გასწვრივ", "North of Poti, along the coast",
         "მდინარე ზღვას ერთვის", "The river meeting the sea", True),
        ("მალთაყვის სანაპირო", "Maltakva beach", "natural", "42.1236, 41.6585",
         "ქვიშიანი სანაპირო ქალაქის სამხრეთ ნაწილში.", "A sandy beach in the south of the city.",
         "მალთაყვა, სანაპიროს ქუჩა", "Maltakva, the coast road",
         "ქვიშიანი სანაპირო", "The sandy beach", False),
    ],
    "abasha": [
        ("აბაშის მხარეთმცოდნეობის მუზეუმი", "Abasha Museum of Local History", "cultural", "42.2043, 42.2047",
         "მუზეუმი მუნიციპალიტეტის ისტორიისა და ყოფის შესახებ: არქეოლოგიური და ეთნოგრაფიული ნივთები, "
         "ფოტოები და დოკუმენტები.",
         "A museum of the municipality's history and way of life: archaeological and ethnographic "
         "objects, photographs and documents.",
         "აბაშა, ქალაქის ცენტრი", "Abasha, the town centre",
         "მუზეუმის შენობა", "The museum building", True),
        ("მდინარე აბაშა", "The Abasha river", "natural", "42.2070, 42.2000",
         "მდინარე, რომელიც ქალაქს სახელს აძლევს და მის შუაგულში მიედინება.",
         "The river that gives the town its name and flows through it.",
         "აბაშა, ცენტრალური ხიდი", "Abasha, the central bridge",
         "მდინარე და მწვანე ნაპირები", "The river and its green banks", True),
        ("აბაშის რკინიგზის სადგური", "Abasha railway station", "historical", "42.2010, 42.2100",
         "ქალაქი ფოთი–თბილისის რკინიგზის სადგურის გარშემო გაიზარდა; რკინიგზა XIX საუკუნის "
         "70-იან წლებში გაიხსნა.",
         "The town grew around the station of the Poti–Tbilisi railway, opened in the 1870s.",
         "აბაშა, სადგურის მოედანი", "Abasha, Station Square",
         "სადგურის შენობა და ლიანდაგი", "The station building and the tracks", True),
        ("სოფელი მარანი", "The village of Marani", "cultural", "42.2214, 42.2311",
         "სოფელი აბაშის ჩრდილო-აღმოსავლეთით. მისი სახელი ქართულად ღვინის სარდაფს ნიშნავს.",
         "A village north-east of Abasha; its name is the Georgian word for a wine cellar.",
         "აბაშიდან მარნის გზით, დაახლოებით 4,5 კმ", "From Abasha by the Marani road, about 4.5 km",
         "სოფლის გზა და ვენახი", "A village road and a vineyard", True),
    ],
}

#: What each category's drawn photo shows: sky, ground, and a shape in the middle.
_SCENES = {"natural": ((150, 190, 220), (70, 130, 80)), "historical": ((170, 200, 230), (120, 110, 95)),
           "religious": ((200, 215, 235), (150, 140, 120)), "cultural": ((180, 205, 225), (110, 140, 90))}


def photo(category: str, seed: int) -> bytes:
    """A drawn photo for ``category`` as a JPEG with an EXIF block (the upload drops it)."""
    sky, ground = _SCENES[category]
    image = Image.new("RGB", (1600, 1000), sky)
    draw = ImageDraw.Draw(image)
    draw.ellipse((1250 - seed * 40, 90, 1400 - seed * 40, 240), fill=(250, 225, 140))
    draw.rectangle((0, 620, 1600, 1000), fill=ground)
    if category == "natural":
        draw.rectangle((0, 700, 1600, 860), fill=(60, 110, 160))
        for x in range(60, 1600, 170):
            draw.polygon([(x, 640), (x + 50, 440 - (x * seed) % 90), (x + 100, 640)], fill=(40, 95, 55))
    elif category == "historical":
        draw.polygon([(740, 620), (770, 240), (830, 240), (860, 620)], fill=(245, 245, 240))
        draw.rectangle((750, 200, 850, 250), fill=(60, 60, 66))
        draw.rectangle((200, 540, 520, 620), fill=(90, 90, 100))
    elif category == "religious":
        draw.rectangle((560, 380, 1040, 620), fill=(235, 225, 205))
        for x, r in ((800, 130), (630, 70), (970, 70)):
            draw.pieslice((x - r, 380 - r, x + r, 380 + r), 180, 360, fill=(90, 120, 110))
        draw.rectangle((780, 160, 820, 260), fill=(200, 170, 60))
    else:
        draw.rectangle((520, 400, 1080, 620), fill=(225, 210, 190))
        draw.polygon([(500, 400), (800, 260), (1100, 400)], fill=(150, 70, 60))
        for x in range(580, 1060, 120):
            draw.rectangle((x, 450, x + 60, 540), fill=(80, 100, 130))
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "Demo camera"
    exif[0x0132] = "2026:08:15 10:30:00"
    image.save(out, "JPEG", quality=85, exif=exif)
    return out.getvalue()


def load_demo_sights() -> str:
    from flask import current_app

    from portal.tenancy import get_directory

    made = []
    for slug, rows in SIGHTS.items():
        tenant = get_directory(current_app).by_slug(slug)
        if tenant is None:
            continue
        with tenant_context(tenant):
            for n, row in enumerate(rows):
                _sight(n, *row)
            made.append(f"{slug}: {db.session.scalar(select(func.count(Sight.id)))}")
    return "sights: " + ", ".join(made)


def _sight(n, name, name_en, category, location, description, description_en, address, address_en,
           alt, alt_en, published) -> None:
    if db.session.scalar(select(Sight.id).where(Sight.name == name)) is not None:
        return
    sight = services.save_sight(None, name=name, name_en=name_en, category=category, location=location,
                                description=description, description_en=description_en,
                                address=address, address_en=address_en)
    services.set_photo(sight, photo(category, n), alt=alt, alt_en=alt_en)
    if published:
        services.publish(sight)
