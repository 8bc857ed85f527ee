"""Writes ``search_quality.json``: a test archive of Georgian council-session sentences about
Poti (its districts, budget, port, roads, schools...) and a judged set of queries over it.

The sentences are built from hand-written templates and hand-written word forms (every case
form below is typed out, not produced by the stemmer under test), so each sentence knows the
words (lemmas) it mentions; the judgments follow from that:

- ``dictionary`` / ``inflected`` / ``latin`` / ``name``: relevant = the sentences that
  mention the lemma in any form;
- ``phrase`` (two words): the sentences that mention both;
- ``exact``: the sentences with a word that begins with the typed form (what a search of
  word beginnings was built for: the no-loss check).

    .venv/bin/python bench/data/make_search_quality.py     # rewrites search_quality.json
"""

from __future__ import annotations

import json
import random
from pathlib import Path

OUT = Path(__file__).with_name("search_quality.json")

# Cases: nom, gen, dat, loc (-ში), on (-ზე), near (-თან), from (-დან), to (-მდე), for (-თვის)
PLACES = {
    "მალთაყვა": dict(nom="მალთაყვა", gen="მალთაყვის", dat="მალთაყვას", loc="მალთაყვაში",
                     near="მალთაყვასთან", frm="მალთაყვიდან", to="მალთაყვამდე",
                     for_="მალთაყვისთვის", latin=["maltakva", "maltaqva", "maltakvashi"]),
    "ნაბადა": dict(nom="ნაბადა", gen="ნაბადის", dat="ნაბადას", loc="ნაბადაში", near="ნაბადასთან",
                   frm="ნაბადიდან", to="ნაბადამდე", for_="ნაბადისთვის",
                   latin=["nabada", "nabadashi"]),
    "კაპარჭინა": dict(nom="კაპარჭინა", gen="კაპარჭინის", dat="კაპარჭინას", loc="კაპარჭინაში",
                      near="კაპარჭინასთან", frm="კაპარჭინიდან", to="კაპარჭინამდე",
                      for_="კაპარჭინისთვის", latin=["kaparchina", "kapartchina"]),
    "ფიჩორი": dict(nom="ფიჩორი", gen="ფიჩორის", dat="ფიჩორს", loc="ფიჩორში", near="ფიჩორთან",
                   frm="ფიჩორიდან", to="ფიჩორამდე", for_="ფიჩორისთვის",
                   latin=["pichori", "fichori"]),
    "ფოთი": dict(nom="ფოთი", gen="ფოთის", dat="ფოთს", loc="ფოთში", near="ფოთთან", frm="ფოთიდან",
                 to="ფოთამდე", for_="ფოთისთვის", latin=["poti", "potshi"]),
    "ჭალადიდი": dict(nom="ჭალადიდი", gen="ჭალადიდის", dat="ჭალადიდს", loc="ჭალადიდში",
                     near="ჭალადიდთან", frm="ჭალადიდიდან", to="ჭალადიდამდე",
                     for_="ჭალადიდისთვის", latin=["chaladidi", "tchaladidi"]),
}
# Topics: nom, gen, dat, erg, ins (-ით), loc (-ში), on (-ზე), pl (plural nom), pl_gen, pl_loc
TOPICS = {
    "სკოლა": dict(nom="სკოლა", gen="სკოლის", dat="სკოლას", erg="სკოლამ", ins="სკოლით",
                  loc="სკოლაში", on="სკოლაზე", pl="სკოლები", pl_gen="სკოლების",
                  pl_loc="სკოლებში", latin=["skola", "skolebi"]),
    "გზა": dict(nom="გზა", gen="გზის", dat="გზას", erg="გზამ", ins="გზით", loc="გზაში",
                on="გზაზე", pl="გზები", pl_gen="გზების", pl_loc="გზებზე", latin=["gza", "gzebi"]),
    "ქუჩა": dict(nom="ქუჩა", gen="ქუჩის", dat="ქუჩას", erg="ქუჩამ", ins="ქუჩით", loc="ქუჩაში",
                 on="ქუჩაზე", pl="ქუჩები", pl_gen="ქუჩების", pl_loc="ქუჩებზე",
                 latin=["kucha", "quchebi"]),
    "უბანი": dict(nom="უბანი", gen="უბნის", dat="უბანს", erg="უბანმა", ins="უბნით",
                  loc="უბანში", on="უბანზე", pl="უბნები", pl_gen="უბნების", pl_loc="უბნებში",
                  latin=["ubani", "ubnebi"]),
    "ხიდი": dict(nom="ხიდი", gen="ხიდის", dat="ხიდს", erg="ხიდმა", ins="ხიდით", loc="ხიდში",
                 on="ხიდზე", pl="ხიდები", pl_gen="ხიდების", pl_loc="ხიდებზე",
                 latin=["khidi", "xidi"]),
    "ბაღი": dict(nom="ბაღი", gen="ბაღის", dat="ბაღს", erg="ბაღმა", ins="ბაღით", loc="ბაღში",
                 on="ბაღზე", pl="ბაღები", pl_gen="ბაღების", pl_loc="ბაღებში",
                 latin=["baghi", "baghebi"]),
    "მოედანი": dict(nom="მოედანი", gen="მოედნის", dat="მოედანს", erg="მოედანმა",
                    ins="მოედნით", loc="მოედანზე", on="მოედანზე", pl="მოედნები",
                    pl_gen="მოედნების", pl_loc="მოედნებზე", latin=["moedani"]),
    "პარკი": dict(nom="პარკი", gen="პარკის", dat="პარკს", erg="პარკმა", ins="პარკით",
                  loc="პარკში", on="პარკზე", pl="პარკები", pl_gen="პარკების",
                  pl_loc="პარკებში", latin=["parki", "p'ark'i"]),
    "სტადიონი": dict(nom="სტადიონი", gen="სტადიონის", dat="სტადიონს", erg="სტადიონმა",
                     ins="სტადიონით", loc="სტადიონზე", on="სტადიონზე", pl="სტადიონები",
                     pl_gen="სტადიონების", pl_loc="სტადიონებზე", latin=["stadioni"]),
    "ტროტუარი": dict(nom="ტროტუარი", gen="ტროტუარის", dat="ტროტუარს", erg="ტროტუარმა",
                     ins="ტროტუარით", loc="ტროტუარზე", on="ტროტუარზე", pl="ტროტუარები",
                     pl_gen="ტროტუარების", pl_loc="ტროტუარებზე", latin=["trotuari"]),
    "ავტობუსი": dict(nom="ავტობუსი", gen="ავტობუსის", dat="ავტობუსს", erg="ავტობუსმა",
                     ins="ავტობუსით", loc="ავტობუსში", on="ავტობუსზე", pl="ავტობუსები",
                     pl_gen="ავტობუსების", pl_loc="ავტობუსებში", latin=["avtobusi"]),
    "საავადმყოფო": dict(nom="საავადმყოფო", gen="საავადმყოფოს", dat="საავადმყოფოს",
                        erg="საავადმყოფომ", ins="საავადმყოფოთი", loc="საავადმყოფოში",
                        on="საავადმყოფოზე", pl="საავადმყოფოები", pl_gen="საავადმყოფოების",
                        pl_loc="საავადმყოფოებში", latin=["saavadmkopo", "saavadmyofo"]),
}
# Things of the whole city (no district): the budget, the port, the sea, the sea front.
CITY = {
    "ბიუჯეტი": dict(nom="ბიუჯეტი", gen="ბიუჯეტის", dat="ბიუჯეტს", erg="ბიუჯეტმა",
                    ins="ბიუჯეტით", loc="ბიუჯეტში", on="ბიუჯეტზე", latin=["biujeti", "biudzheti"]),
    "პორტი": dict(nom="პორტი", gen="პორტის", dat="პორტს", erg="პორტმა", ins="პორტით",
                  loc="პორტში", on="პორტზე", latin=["porti", "p'ort'i"]),
    "სანაპირო": dict(nom="სანაპირო", gen="სანაპიროს", dat="სანაპიროს", erg="სანაპირომ",
                     ins="სანაპიროთი", loc="სანაპიროზე", on="სანაპიროზე",
                     latin=["sanapiro"]),
    "ზღვა": dict(nom="ზღვა", gen="ზღვის", dat="ზღვას", erg="ზღვამ", ins="ზღვით", loc="ზღვაში",
                 on="ზღვაზე", latin=["zghva"]),
    "წყალმომარაგება": dict(nom="წყალმომარაგება", gen="წყალმომარაგების",
                           dat="წყალმომარაგებას", erg="წყალმომარაგებამ", ins="წყალმომარაგებით",
                           loc="წყალმომარაგებაში", on="წყალმომარაგებაზე",
                           latin=["tsqalmomarageba", "wyalmomarageba"]),
}
# People: (first name, surname forms) — surnames decline, first names in -ო do not.
NAMES = {
    "ბერიძე": dict(full="ნინო", nom="ბერიძე", erg="ბერიძემ", gen="ბერიძის", dat="ბერიძეს",
                   latin=["beridze"]),
    "კვარაცხელია": dict(full="გიორგი", nom="კვარაცხელია", erg="კვარაცხელიამ",
                        gen="კვარაცხელიას", dat="კვარაცხელიას", latin=["kvaratskhelia"]),
    "ჯაველიძე": dict(full="თამარ", nom="ჯაველიძე", erg="ჯაველიძემ", gen="ჯაველიძის",
                     dat="ჯაველიძეს", latin=["javelidze"]),
    "გოგუა": dict(full="დავით", nom="გოგუა", erg="გოგუამ", gen="გოგუას", dat="გოგუას",
                  latin=["gogua"]),
    "ჩიქოვანი": dict(full="ლევან", nom="ჩიქოვანი", erg="ჩიქოვანმა", gen="ჩიქოვანის",
                     dat="ჩიქოვანს", latin=["chikovani"]),
}

# (template, slots): P place, T district topic, C city thing, N person; ".case" picks the form.
TEMPLATES = [
    "{P.gen} {T.gen} რეაბილიტაცია მომავალ წელს დაიწყება.",
    "{P.loc} {T.nom} ცუდ მდგომარეობაშია და მოსახლეობა წლებია ჩივის.",
    "საკრებულომ {P.gen} {T.gen} დაფინანსება ერთხმად დაამტკიცა.",
    "მერიამ {P.loc} ახალი {T.nom} უნდა ააშენოს.",
    "{P.dat} ახალი {T.nom} სჭირდება, რადგან ძველი ვეღარ იტევს ხალხს.",
    "კომისიამ დეტალურად ისაუბრა {P.gen} {T.on}.",
    "{P.gen} მოსახლეობა {T.ins} უკმაყოფილოა და მერიისგან პასუხს ელოდება.",
    "{P.for_} {T.nom} წლევანდელი პრიორიტეტია.",
    "{P.near} მდებარე {T.gen} შეკეთება შემოდგომამდე დასრულდება.",
    "დეპუტატმა {N.full} {N.erg} {P.gen} {T.gen} პრობლემა სხდომაზე დააყენა.",
    "{N.gen} თქმით, {P.loc} {T.pl} სასწრაფოდ საჭიროებს შეკეთებას.",
    "სიტყვა მიეცა {N.dat}, რომელმაც {P.gen} {T.pl_gen} შესახებ ისაუბრა.",
    "{P.frm} {P2.to} {T.nom} ახალი ასფალტით დაიფარება.",
    "{P.gen} {T.pl_loc} ზამთრის შემდეგ დიდი ორმოებია.",
    "{C.gen} საკითხი დღის წესრიგის პირველი პუნქტი იყო.",
    "{C.loc} ცვლილებები ფინანსურმა სამსახურმა წარადგინა.",
    "{N.erg} განაცხადა, რომ {C.gen} განვითარება ქალაქისთვის მთავარია.",
    "{C.erg} წელს ქალაქს ახალი შესაძლებლობები მისცა.",
    "{P.gen} მცხოვრებლებმა {C.on} საჯარო განხილვაზე იმსჯელეს.",
    "{C.nom} ქალაქის ეკონომიკის საფუძველია, თქვა {N.erg}.",
    "{P.loc} {C.gen} მოვლა-პატრონობისთვის ორასი ათასი ლარია გათვალისწინებული.",
    "{C.ins} დაინტერესებულმა ინვესტორებმა {P.loc} ოფისი გახსნეს.",
]
FILLERS = [
    "სხდომა გახსნილად გამოცხადდა, კვორუმი არის.",
    "დღის წესრიგი ერთხმად დამტკიცდა.",
    "შემდეგი სხდომა ორ კვირაში გაიმართება.",
    "წინა სხდომის ოქმი ხელმოწერილია.",
    "ხმის მიცემის შედეგად გადაწყვეტილება მიღებულია.",
    "დეპუტატებმა შესვენება ითხოვეს.",
    "თავმჯდომარემ სხდომა დახურულად გამოაცხადა.",
    "კითხვები აღარ არის, გადავდივართ კენჭისყრაზე.",
    "იურიდიულმა სამსახურმა დასკვნა წარმოადგინა.",
    "დოკუმენტი ყველა დეპუტატს წინასწარ დაეგზავნა.",
    "მოქალაქეებს შეუძლიათ წერილობითი შენიშვნების გამოგზავნა.",
    "პროექტი კომისიამ მეორე მოსმენით განიხილა.",
    "ოპოზიციამ წინადადებას მხარი არ დაუჭირა.",
    "აუდიტის ანგარიში მომდევნო სხდომაზე განიხილება.",
    "ფრაქციის სახელით ისაუბრა მისმა თავმჯდომარემ.",
    "დადგენილება ძალაში შევა გამოქვეყნებისთანავე.",
    "ტრანსლაცია ფეისბუქის გვერდზე მიმდინარეობს.",
    "მადლობა ყველას მონაწილეობისთვის.",
    "საკითხი კომისიას დაუბრუნდა დასამუშავებლად.",
    "ჟურნალისტებმა კითხვები დასვეს.",
]
SENTENCES_PER_SESSION = 10


def _fill(template: str, rng: random.Random) -> tuple[str, list[str]]:
    chosen, lemmas, text = {}, [], template
    for slot, table in (("P2", PLACES), ("P", PLACES), ("T", TOPICS), ("C", CITY), ("N", NAMES)):
        if "{" + slot + "." not in text:
            continue
        options = [k for k in table if k not in chosen.values()]
        lemma = rng.choice(options)
        chosen[slot] = lemma
        lemmas.append(lemma)
        for case, form in table[lemma].items():
            text = text.replace("{" + slot + "." + case + "}", str(form))
    assert "{" not in text, text
    return text, lemmas


def build(seed: int = 16) -> dict:
    rng = random.Random(seed)
    sentences = []
    for index in range(330):
        template = TEMPLATES[index % len(TEMPLATES)]
        text, lemmas = _fill(template, rng)
        sentences.append({"text": text, "lemmas": lemmas})
    for text in FILLERS:
        sentences.append({"text": text, "lemmas": []})
    rng.shuffle(sentences)
    for number, sentence in enumerate(sentences):
        sentence["id"] = number
    return {"sentences": sentences, "queries": queries(sentences)}


def _words(text: str) -> list[str]:
    return "".join(c if c.isalnum() else " " for c in text.lower()).split()


def queries(sentences) -> list[dict]:
    by_lemma: dict[str, set[int]] = {}
    for s in sentences:
        for lemma in s["lemmas"]:
            by_lemma.setdefault(lemma, set()).add(s["id"])
    out = []

    def add(category, q, relevant):
        if relevant:
            out.append({"category": category, "q": q, "relevant": sorted(relevant)})

    for table, inflected in ((PLACES, ("gen", "loc", "frm", "for_")),
                             (TOPICS, ("gen", "pl", "pl_loc", "ins")),
                             (CITY, ("gen", "loc", "ins")), (NAMES, ("gen", "erg"))):
        for lemma, forms in table.items():
            relevant = by_lemma.get(lemma, set())
            category = "name" if table is NAMES else "dictionary"
            add(category, forms["nom"], relevant)
            for case in inflected:
                add("inflected", forms[case], relevant)
            for typed in forms["latin"]:
                add("latin", typed, relevant)
            # exact: a form as typed, judged by the form itself
            for case in ("gen", "loc") if table is not NAMES else ("erg",):
                form = forms[case]
                add("exact", form, {s["id"] for s in sentences
                                    if any(w.startswith(form) for w in _words(s["text"]))})
    pairs: dict[tuple[str, str], set[int]] = {}
    for s in sentences:
        places = [lemma for lemma in s["lemmas"] if lemma in PLACES]
        things = [lemma for lemma in s["lemmas"] if lemma in TOPICS or lemma in CITY]
        for p in places[:1]:
            for t in things[:1]:
                pairs.setdefault((p, t), set()).add(s["id"])
    for (p, t), _ids in sorted(pairs.items())[::3]:
        thing = TOPICS.get(t) or CITY[t]
        relevant = by_lemma[p] & by_lemma[t]
        add("phrase", f"{PLACES[p]['gen']} {thing['nom']}", relevant)
    return out


if __name__ == "__main__":
    data = build()
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    counts: dict[str, int] = {}
    for q in data["queries"]:
        counts[q["category"]] = counts.get(q["category"], 0) + 1
    print(f"{len(data['sentences'])} sentences, {len(data['queries'])} queries: {counts}")
