"""The national system of romanisation of Georgian (2002), shared by SMS (Georgian → Latin)
and search (Latin typing read as Georgian, ``latin``)."""

#: Ejectives (კ პ ტ ყ წ ჭ) take an apostrophe in the strict form; road signs and everyday
#: Latin-script Georgian leave it out.
NATIONAL = {
    "ა": "a", "ბ": "b", "გ": "g", "დ": "d", "ე": "e", "ვ": "v", "ზ": "z", "თ": "t",
    "ი": "i", "კ": "k'", "ლ": "l", "მ": "m", "ნ": "n", "ო": "o", "პ": "p'", "ჟ": "zh",
    "რ": "r", "ს": "s", "ტ": "t'", "უ": "u", "ფ": "p", "ქ": "k", "ღ": "gh", "ყ": "q'",
    "შ": "sh", "ჩ": "ch", "ც": "ts", "ძ": "dz", "წ": "ts'", "ჭ": "ch'", "ხ": "kh",
    "ჯ": "j", "ჰ": "h",
}
