"""One word, however it is written: what the knowledge base's word-level evidence compares.

Why: the phonetic key (api/language/phonetic.py) makes many spellings meet, but not all: a
Bengali word's written inherent vowels ("পেনশন" is "penoshon", "pension" in Latin letters), its
case endings ("প্রকল্পে", "প্রকল্পের", "prokolpota") and the loanwords people mix in ("office"
for "অফিস", "दफ़्तर") left a romanised or inflected question without the words its passage has.
Here a word loses its endings (stem) and then takes one spelling for each group of variants and
synonyms (canonical). Knowledge base only: the NLU keeps the plain phonetic key.
"""

from __future__ import annotations

from functools import lru_cache

from api.language.phonetic import phonetic_key

# Endings as the phonetic key spells them: Bengali "-gulo", "-der", "-er", "-ke", "-te", "-ta",
# "-ti", "-ra", "-y" and a final vowel ("prokolpe", "prokolper", "prokolpota", "prokolpo"),
# Hindi's final vowels ("bachche", "bachcha"; "milti", "milta") and oblique plural "-on"
# ("majaduron"). At most two come off and four letters stay, so "taka" is not "tak" and "mara"
# stays whole.
SUFFIXES: tuple[str, ...] = (
    *("gulo", "guli", "der", "er", "ke", "te", "ta", "ti", "ra", "on"),
    *("y", "a", "e", "i", "o"),
)
MIN_STEM = 4

# Each line one word: its spellings in Bengali, Devanagari and Latin letters, the English word
# workers mix in, and its plain synonyms. Only words that name what a question is about.
SYNONYMS = """
pension পেনশন पेंशन penson penshan penshon
office অফিস ऑफ़िस ऑफिस ofis afis दफ़्तर daftar দপ্তর doptor कार्यालय karyalay
claim ক্লেম क्लेम klem दावा dava dawa দাবি dabi
bank ব্যাঙ্ক ব্যাংক बैंक baink byank
account অ্যাকাউন্ট একাউন্ট ekaunt akaunt खाता khata
scheme skim स्कीम योजना yojana yojna yojona প্রকল্প prokolpo prakalpa
kagaj कागज़ कागज kagaz kagoj কাগজ কাগজপত্র kagojpotro कागज़ात kagzat document documents
 dokument दस्तावेज़ dastavej নথি nothi papers paper
hospital হাসপাতাল haspatal अस्पताल aspatal
driver ড্রাইভার ड्राइवर draivar draibhar
doctor ডাক্তার daktar डॉक्टर doktor
paisa पैसा पैसे paise poisa পয়সা taka টাকা rupaye रुपये रुपया rupees rupiya
accident एक्सीडेंट অ্যাক্সিডেন্ট eksident axident दुर्घटना durghatna দুর্ঘটনা durghotona
 हादसा hadsa
umar उम्र umr umra বয়স boyos boyosh
renew renewal রিনিউ रिन्यू rinyu नवीनीकरण নবীকরণ nobikoron
register registration রেজিস্ট্রেশন रजिस्ट्रेशन rejistreshan पंजीकरण panjikaran
shromik sromik sramik shramik শ্রমিক मज़दूर mazdoor majdur mojur মজুর worker workers kamgar
 कामगार
padhai पढ़ाई parhai porashona পড়াশোনা পড়াশুনা porashuna education
mahina महीना महीने mahine মাস mas mase month
certificate सर्टिफिकेट সার্টিফিকেট sartifiket
maut मौत मृत्यु mrityu মৃত্যু mrittu death
parivar परिवार পরিবার poribar family
patni पत्नी bou বউ stri স্ত্রী wife
pati पति swami স্বামী husband
viklang विकलांग apahij अपाहिज okkhom অক্ষম pongu পঙ্গু protibondhi প্রতিবন্ধী disabled
bimari बीमारी osukh অসুখ illness
ilaj इलाज chikitsa চিকিৎসা treatment
avedan आवेदन abedon আবেদন apply
sarkar सरकार sorkar সরকার government
kamai कमाई income rojgar রোজগার rozgar
"""


def stem(word: str) -> str:
    for _ in range(2):
        if not word.isalpha():
            break
        ending = next(
            (s for s in SUFFIXES if word.endswith(s) and len(word) - len(s) >= MIN_STEM), None
        )
        if ending is None:
            break
        word = word[: -len(ending)]
    return word


@lru_cache(maxsize=1)
def _canonical() -> dict[str, str]:
    out: dict[str, str] = {}
    for group in " ".join(SYNONYMS.split("\n ")).strip().splitlines():
        keys = [stem(phonetic_key(variant)) for variant in group.split()]
        for key in keys:
            out.setdefault(key, keys[0])
    return out


def canonical(word: str) -> str:
    """A phonetic key's word, stemmed, then spelled as its group's first variant."""
    stemmed = stem(word)
    return _canonical().get(stemmed, stemmed)
