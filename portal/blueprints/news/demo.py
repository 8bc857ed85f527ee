"""Demo news for ``flask demo load``: in Poti and Abasha a few items of the City Hall and the
Sakrebulo in Georgian with English, in categories, one pinned (with a drawn picture in every
width), one scheduled three days ahead and one draft. Idempotent: an item is looked up by its
title, a category by its address, before it is made."""

from __future__ import annotations

import io
from datetime import timedelta

from PIL import Image, ImageDraw
from sqlalchemy import func, select

from portal.blueprints.news import services
from portal.blueprints.news.models import NewsCategory, NewsItem
from portal.db import utcnow
from portal.extensions import db
from portal.tenancy import tenant_context

CATEGORIES = (("infrastructure", "ინფრასტრუქტურა", "Infrastructure"),
              ("budget", "ბიუჯეტი და ფინანსები", "Budget and finance"),
              ("culture", "კულტურა და სპორტი", "Culture and sport"),
              ("education", "განათლება", "Education"))

# (title ka, title en, summary ka, summary en, body ka, body en, body, category, days ago, fate)
# fate: "pinned", "published", "scheduled" (days ago negative) or "draft"
NEWS = {
    "poti": [
        ("ნავსადგურის მიმდებარე ქუჩების რეაბილიტაცია დასრულდა",
         "Renovation of the streets by the port is finished",
         "დავით აღმაშენებლის ქუჩაზე და მიმდებარე კვარტლებში ახალი ასფალტი, ტროტუარები და განათებაა.",
         "Davit Aghmashenebeli Street and the blocks around it have new asphalt, pavements and lighting.",
         "<p>ფოთის მერიამ ნავსადგურის მიმდებარე ქუჩების რეაბილიტაცია დაასრულა. სამუშაოები ექვს თვეს გაგრძელდა.</p>"
         "<h2>რა გაკეთდა</h2><ul><li>დაიგო 3,2 კილომეტრი ახალი ასფალტი;</li><li>მოეწყო ტროტუარები და ველობილიკი;</li>"
         "<li>დამონტაჟდა 140 LED სანათი.</li></ul><p>პროექტი ქალაქის ბიუჯეტით დაფინანსდა.</p>",
         "<p>Poti City Hall has finished renovating the streets by the port. The work took six months.</p>"
         "<h2>What was done</h2><ul><li>3.2 kilometres of new asphalt;</li><li>pavements and a cycle lane;</li>"
         "<li>140 LED street lights.</li></ul><p>The city budget paid for the project.</p>",
         "city_hall", "infrastructure", 2, "pinned"),
        ("საკრებულომ 2027 წლის ბიუჯეტის პროექტი განიხილა", "The Sakrebulo discussed the draft 2027 budget",
         "ფინანსებისა და ბიუჯეტის კომისიამ პროექტი პირველი მოსმენით მოიწონა.",
         "The finance and budget committee approved the draft at its first reading.",
         "<p>ფოთის საკრებულოს ფინანსებისა და ბიუჯეტის კომისიამ 2027 წლის ბიუჯეტის პროექტი განიხილა.</p>"
         "<p>მოქალაქეებს შენიშვნების წარდგენა <strong>20 დეკემბრამდე</strong> შეუძლიათ.</p>",
         "<p>The finance and budget committee of the Poti Sakrebulo discussed the draft 2027 budget.</p>"
         "<p>Citizens may send their comments <strong>until 20 December</strong>.</p>",
         "sakrebulo", "budget", 5, "published"),
        ("კოლხეთის ახალგაზრდული ფესტივალი ზღვისპირა პარკში", "Colchis youth festival in the seaside park",
         "სამდღიანი ფესტივალი კონცერტებით, სპორტული შეჯიბრებებით და გამოფენით.",
         "Three days of concerts, sports competitions and an exhibition.",
         "<p>ზღვისპირა პარკში კოლხეთის ახალგაზრდული ფესტივალი გაიმართება. შესვლა უფასოა.</p>",
         "<p>The Colchis youth festival takes place in the seaside park. Entry is free.</p>",
         "city_hall", "culture", -3, "scheduled"),
        ("ზამთრისთვის მზადება: სანიაღვრე არხების გაწმენდა", "Getting ready for winter: cleaning the storm drains",
         "", "", "<p>სამუშაოების გრაფიკი მალე გამოქვეყნდება.</p>", "", "city_hall", "infrastructure", 0, "draft"),
    ],
    "abasha": [
        ("აბაშაში წყალმომარაგების ახალი სისტემა ამოქმედდა", "A new water supply system starts working in Abasha",
         "ქალაქის ცენტრალური უბნები 24-საათიან წყალმომარაგებაზე გადავიდა.",
         "The central districts of the town now have water around the clock.",
         "<p>აბაშის მუნიციპალიტეტის მერიამ წყალმომარაგების ახალი სისტემა გახსნა.</p>"
         "<p>მომდევნო ეტაპზე ქსელი სოფლებს <em>მარანსა</em> და <em>ნორიოს</em> მიუერთდება.</p>",
         "<p>Abasha City Hall has opened the new water supply system.</p>"
         "<p>Next, the network will reach the villages of <em>Marani</em> and <em>Norio</em>.</p>",
         "city_hall", "infrastructure", 1, "pinned"),
        ("საკრებულოს სხდომა: სოფლის მხარდაჭერის პროგრამა", "Sakrebulo session: the village support programme",
         "საკრებულომ სოფლის მხარდაჭერის პროგრამით დასაფინანსებელი პროექტები დაამტკიცა.",
         "The Sakrebulo approved the projects funded by the village support programme.",
         "<p>აბაშის საკრებულომ რიგით სხდომაზე სოფლის მხარდაჭერის პროგრამის 18 პროექტი დაამტკიცა.</p>",
         "<p>At its regular session the Abasha Sakrebulo approved 18 projects of the village support programme.</p>",
         "sakrebulo", "budget", 4, "published"),
        ("სკოლების სპორტული დარბაზები განახლდება", "School sports halls will be renovated",
         "სამუშაოები ხუთ საჯარო სკოლაში ზაფხულის არდადეგებზე ჩატარდება.",
         "The work will be done in five public schools over the summer holidays.",
         "<p>მერიამ ხუთი სკოლის სპორტული დარბაზის განახლების ტენდერი გამოაცხადა.</p>",
         "<p>City Hall has announced the tender for renovating the sports halls of five schools.</p>",
         "city_hall", "education", 9, "published"),
        ("თხილის მოსავლის სეზონი: კონსულტაციები ფერმერებისთვის", "Hazelnut harvest season: advice for farmers",
         "მერიის საინფორმაციო ცენტრში ფერმერებს უფასო კონსულტაციას გაუწევენ.",
         "Farmers can get free advice at the City Hall's information centre.",
         "<p>კონსულტაციები ყოველ სამშაბათს და ხუთშაბათს გაიმართება.</p>",
         "<p>Advice is given every Tuesday and Thursday.</p>", "city_hall", None, -2, "scheduled"),
    ],
}


def picture(seed: int) -> bytes:
    """A drawn picture (sea, sky, a sun): a JPEG with an EXIF block, as a camera would give."""
    image = Image.new("RGB", (1800, 1000), (40, 110, 170))
    draw = ImageDraw.Draw(image)
    for y in range(0, 520, 4):
        draw.rectangle((0, y, 1800, y + 4), fill=(150 + y // 8, 200 + y // 20, 235))
    draw.ellipse((1300 - seed * 200, 120, 1500 - seed * 200, 320), fill=(250, 205, 80))
    for x in range(0, 1800, 90):
        draw.arc((x, 600, x + 180, 700), 180, 360, fill=(220, 235, 245), width=6)
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "Demo camera"
    image.save(out, "JPEG", quality=85, exif=exif)
    return out.getvalue()


def load_demo_news() -> str:
    from flask import current_app

    from portal.tenancy import get_directory

    made = []
    for slug, rows in NEWS.items():
        tenant = get_directory(current_app).by_slug(slug)
        if tenant is None:
            continue
        with tenant_context(tenant):
            categories = _categories()
            for n, row in enumerate(rows):
                _item(categories, n, *row)
            made.append(f"{slug}: {db.session.scalar(select(func.count(NewsItem.id)))}")
    return "news: " + ", ".join(made)


def _categories() -> dict[str, int]:
    found = {c.slug: c.id for c in db.session.scalars(select(NewsCategory))}
    for position, (slug, ka, en) in enumerate(CATEGORIES):
        if slug not in found:
            found[slug] = services.save_category(None, slug=slug, name_ka=ka, name_en=en, position=position).id
    return found


def _item(categories, n, title, title_en, summary, summary_en, body, body_en, body_kind, category,
          days_ago, fate) -> None:
    if db.session.scalar(select(NewsItem.id).where(NewsItem.title == title)) is not None:
        return
    item = services.save_item(None, title=title, title_en=title_en, summary=summary, summary_en=summary_en,
                              body=body, body_en=body_en, body_kind=body_kind,
                              category_id=categories.get(category) if category else None)
    if fate == "pinned":
        services.set_image(item, picture(n), alt="ზღვა და მზე ფოთის სანაპიროსთან",
                           alt_en="The sea and the sun by the coast")
    if fate != "draft":
        services.publish(item, utcnow() - timedelta(days=days_ago, hours=n))
        if days_ago >= 0:  # old news: nobody is told about it (a scheduled one is, in time)
            item.announced_at = item.publish_at
    if fate == "pinned":
        services.pin(item)
