"""Redact personal data from ticket text before anything is stored or written.

Kinds and their placeholders: emails `[email]`, IBANs `[iban]` (mod-97 checked), card numbers `[card]`
(13-19 digits, Luhn-checked), IP addresses `[ip]`, phone numbers `[phone]`, names in greetings and sign-offs
`[name]` and user patterns from `tickets.redact` in helpgen.yml `[redacted]`. `Redactor.counts` says how
many of each were replaced.

Names are found where letters put them, not from a list of names: after an English greeting at the start of a
line ("Hi Yusuf,", "Dear Ms Chen"), in a sign-off that ends its line ("Thanks, Maria Lopez", "Regards,\nJohn"),
after "my name is"; in Chinese, a surname with a form of address next to a greeting ("王先生您好", "您好，李女士")
or after 我叫/我的名字是. A name is one to three capitalised words that are not common English words.
"""
from __future__ import annotations

import ipaddress
import re
from collections import Counter
from typing import Callable, Sequence

from helpgen.text import CJK_RANGES

PLACEHOLDERS = {"email": "[email]", "phone": "[phone]", "card": "[card]", "iban": "[iban]", "ip": "[ip]",
                "name": "[name]", "redacted": "[redacted]"}

EMAIL_RE = re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}", re.ASCII)
IBAN_RE = re.compile(r"\b(?i:[A-Z]{2}\d{2}(?:[ -]?[A-Z0-9]{4}){2,7}(?:[ -]?[A-Z0-9]{1,3})?)\b", re.ASCII)
CARD_RE = re.compile(r"(?<![\w.,/-])\d(?:[ -]?\d){12,18}(?![\w/-]|[.,]\d)", re.ASCII)
IPV4_RE = re.compile(r"(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\w.]|\.\d)", re.ASCII)
IPV6_RE = re.compile(r"(?<![\w:.])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?:%\w+)?(?![\w:])", re.ASCII)
# Phone candidates: optional +CC / 00CC, optional (area), then 2-5 digit groups split by one space, dot or dash.
PHONE_RE = re.compile(
    r"(?<![\w+#/.,:-])(?=(?:[ .()+-]{0,3}\d){8})(?:(?:\+|00)\d{1,3}[ .-]?)?(?:\(\d{1,5}\)[ .-]?)?(?:\d{1,5}(?:[ .-]\d{1,6}){0,6}|\d{6,15})(?![\w/#]|[.,:]\d)", re.ASCII)
NON_DIGIT_RE = re.compile(r"\D")
SEPARATOR_RE = re.compile(r"[ ().-]")
CN_MOBILE_RE = re.compile(r"1[3-9]\d{9}$")
# Every IBAN, card, phone or IPv4 has 7+ digits/separators in a row somewhere; IPv6 has `:x:` or `::`.
CANDIDATE_RE = re.compile(r"\d[\d .()+-]{5,}\d|:[0-9A-Fa-f]{0,4}:", re.ASCII)
DATE_LIKE_RE = re.compile(r"^\d{4}[-./ ]\d{1,2}[-./ ]\d{1,2}\b|^\d{1,2}[-./ ]\d{1,2}[-./ ]\d{4}\b")


def luhn_ok(digits: str) -> bool:
    """The Luhn checksum used by every card network."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def iban_ok(text: str) -> bool:
    """ISO 13616 mod-97 check of an IBAN (spaces and dashes ignored)."""
    s = re.sub(r"[ -]", "", text).upper()
    if not (15 <= len(s) <= 34 and s[:2].isalpha() and s[2:4].isdigit()):
        return False
    moved = s[4:] + s[:4]
    return int("".join(str(int(c, 36)) for c in moved)) % 97 == 1


def _card(match: str) -> bool:
    digits = NON_DIGIT_RE.sub("", match)
    return 13 <= len(digits) <= 19 and luhn_ok(digits) and len(set(digits)) > 1


def _ipv6(match: str) -> bool:
    if "::" not in match and match.count(":") != 7:
        return False
    try:
        ipaddress.IPv6Address(match.split("%")[0])
    except ValueError:
        return False
    return True


def _phone(match: str) -> bool:
    digits = NON_DIGIT_RE.sub("", match)
    if match.startswith(("+", "00")):
        return 8 <= len(digits) <= 15
    if DATE_LIKE_RE.match(match) or not 10 <= len(digits) <= 11:
        return False
    # national numbers: a trunk 0 (UK, EU), a Chinese mobile 1[3-9]x, or grouped like (555) 123-4567
    return digits[0] == "0" or bool(CN_MOBILE_RE.match(digits)) or bool(SEPARATOR_RE.search(match))


NUMBER_RULES: tuple[tuple[str, re.Pattern[str], Callable[[str], bool] | None], ...] = (
    ("iban", IBAN_RE, iban_ok),
    ("card", CARD_RE, _card),
    ("ip", IPV6_RE, _ipv6),
    ("ip", IPV4_RE, None),
    ("phone", PHONE_RE, _phone),
)
# All number-like kinds in one pass: at each position the first kind (in priority order) that matches wins;
# when its check fails, the later kinds are tried on the same text.
NUMBERS_RE = re.compile("|".join(f"(?P<k{i}>{p.pattern})" for i, (_, p, _) in enumerate(NUMBER_RULES)), re.ASCII)


def _may_hold_number(text: str) -> bool:
    """Cheap pre-check for CANDIDATE_RE, which needs an ASCII digit or two `:` (substring tests beat a regex)."""
    return ("0" in text or "1" in text or "2" in text or "3" in text or "4" in text or "5" in text
            or "6" in text or "7" in text or "8" in text or "9" in text or text.count(":") > 1)


# --- names ----------------------------------------------------------------------------------------

GREETING = (r"hi|hello|hey|hiya|howdy|dear|greetings|good\s+(?:morning|afternoon|evening|day)|morning|evening|"
            r"bonjour|hola|hallo|ciao|ol[aá]")
SIGN_OFF = (r"thanks|thank\s+you|thanks\s+again|many\s+thanks|thanks\s+a\s+lot|thx|ty|cheers|regards|"
            r"best\s+regards|kind\s+regards|warm\s+regards|warmest\s+regards|best\s+wishes|best|all\s+the\s+best|"
            r"sincerely|yours\s+(?:sincerely|truly|faithfully)|yours|respectfully|take\s+care|br|kr|"
            r"merci|gracias|danke|grazie|obrigad[oa]")
TITLE = r"(?:(?:mr|mrs|ms|miss|mx|dr|prof|sir|madam|mme|mlle|herr|frau|sr|sra)\.?[ \t]+)"
WORD = r"[^\W\d_][\w'\u2019.-]*"
NAME = rf"{WORD}(?:[ \t]+{WORD}){{0,2}}"
# A greeting or a sign-off starts a line or a sentence: SEGMENT_RE finds the first word of each, and only where
# that word can start one are the full patterns tried (anchored there: far cheaper than searching every text).
SEGMENT_RE = re.compile(r"[.!?\n][ \t>*_-]*([^\W\d_]+)")  # starts with a character set: a fast scan
TEXT_START_RE = re.compile(r"[ \t>*_-]*([^\W\d_]+)")
GREETING_AT = re.compile(rf"(?i)(?:{GREETING})\b[ \t]*(?P<comma>,)?[ \t]+(?P<title>{TITLE})?(?P<name>{NAME})"
                         rf"(?=[ \t]*(?:[,!:;.\u3002\uff0c\uff01]|$)|[ \t]+[a-z])", re.M)
SIGN_OFF_AT = re.compile(rf"(?i)(?:{SIGN_OFF})\b[ \t]*[,!.]?[ \t]*(?:\n[ \t]*)?(?P<title>{TITLE})?"
                         rf"(?P<name>{NAME})[ \t]*[.!]?[ \t]*$", re.M)
FIRST_WORDS = frozenset("""hi hello hey hiya howdy dear greetings good morning evening bonjour hola hallo ciao ola ol\u00e1
thanks thank many thx ty cheers regards best kind warm warmest all sincerely yours respectfully take br kr merci gracias
danke grazie obrigado obrigada""".split())  # the first word of each GREETING and SIGN_OFF form
# SEGMENT_RE where the first word can be one of FIRST_WORDS (case-insensitively, a superset of `.lower() in`)
FIRST_WORD_SEGMENT_RE = re.compile(r"[.!?\n][ \t>*_-]*(?=(?i:%s)(?![^\W\d_]))([^\W\d_]+)"
                                   % "|".join(map(re.escape, sorted(FIRST_WORDS, key=len, reverse=True))))
AFTER_NAME_RE = re.compile(r"[ \t]*(?:[,!:;.\u3002\uff0c\uff01]|$)", re.M)
INTRO_RE = re.compile(rf"(?i)\bmy[ \t]+name[ \t]+is[ \t]+(?P<title>{TITLE})?(?P<name>{NAME})")
# Words that follow a greeting or a sign-off without being a name ("Hi there", "Thanks, Team", "Thanks, I").
NOT_NAMES = frozenset("""
a about again agent agents all also am an and any anybody anyone are as at back best but by can could customer
customers dear did do does everybody everyone for friend friends from good guys had has have he hello help helpdesk
her here hey hi him his how i if in is it its just let me mine my no not now of ok okay on or our ours please really
regards she since so some sorry sir madam staff still support team thank thanks that the their them then there these
they this those to too today very was we were what when where which who why will with would yes yet you your yours
folks people all everyone colleagues service services department desk care again advance much lot
monday tuesday wednesday thursday friday saturday sunday january february march april may june july august september
october november december
""".split())
# Chinese: a surname (the common ones) with a form of address next to a greeting, or after 我叫 / 我的名字是.
CN_SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
               "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施"
               "文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲"
               "翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米"
               "柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝")
CN_COMPOUND = ("欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "慕容", "令狐", "夏侯", "公孙", "长孙", "尉迟", "宇文")
CN_SURNAME = "(?:" + "|".join(CN_COMPOUND) + f"|[{CN_SURNAMES}])"
CN_TITLE = r"(?:先生|女士|小姐|太太|老师|经理|总|师傅|同学)"
CN_GREETING = r"(?:您好|你好|早上好|下午好|晚上好)"
CN_GIVEN = rf"(?:(?![谢您你好的是我请问和在])[{CJK_RANGES}])"  # a given-name character (not a common function word)
CN_BEFORE = rf"(?:(?<![{CJK_RANGES}])|(?<=的)|(?<=谢谢)|(?<=感谢)|(?<=您好)|(?<=你好))"
CN_NAME_RE = re.compile(
    rf"{CN_BEFORE}(?P<name>{CN_SURNAME}{CN_GIVEN}{{0,2}}?)(?={CN_TITLE}[，,、\s]*{CN_GREETING})"  # 王先生您好
    rf"|(?<=您好|你好|尊敬|亲爱)(?P<pre>的?[，,、\s]*)(?P<name2>{CN_SURNAME}{CN_GIVEN}{{0,2}}?)(?={CN_TITLE})"  # 您好，王先生
    rf"|(?<=我叫|我是|本人)(?P<name3>{CN_SURNAME}{CN_GIVEN}{{1,2}})(?=[，,。.!！\s]|$)"  # 我叫张伟
    rf"|(?<=我的名字是|我的名字叫)(?P<name4>{CN_GIVEN}{{2,4}}?)(?=[，,。.!！\s]|$)")
CJK_RE = re.compile(f"[{CJK_RANGES}]")


def _name_words(words: str) -> int:
    """How many of the leading words are a name: capitalised and not a common English word ("Maria Lopez",
    not "The Team")."""
    count = 0
    for word in words.split():
        bare = re.split(r"['\u2019]", word.strip(".'\u2019-").lower())[0]  # "I'm", "I've" -> "i"
        if not word[0].isupper() or bare in NOT_NAMES:
            break
        count += 1
    return count


MEMO_SIZE = 50_000  # texts whose redaction is remembered: exports repeat reply macros and short questions
MEMO_CHARS = 2_000  # only texts up to this long are remembered


class Redactor:
    """Replace personal data with placeholders such as `[email]`; `.counts` tallies each kind."""

    def __init__(self, extra_patterns: Sequence[str] = ()) -> None:
        self.counts: Counter[str] = Counter()
        self._extra = [re.compile(p) for p in extra_patterns]
        self._memo: dict[str, tuple[str, tuple[str, ...]]] = {}  # text -> (redacted, kinds counted, in order)
        self._kinds: list[str] = []

    def redact(self, text: str) -> str:
        """The text with every personal item replaced by its placeholder."""
        if not text:
            return text
        memo = self._memo.get(text)
        if memo is not None:  # the same text again: the same result, counted again
            for kind in memo[1]:
                self.counts[kind] += 1
            return memo[0]
        self._kinds = []
        out = self._redact(text)
        if len(text) <= MEMO_CHARS:
            if len(self._memo) >= MEMO_SIZE:
                self._memo.clear()
            self._memo[text] = (out, tuple(self._kinds))
        return out

    def _redact(self, text: str) -> str:
        for pattern in self._extra:
            text = pattern.sub(self._user, text)
        if "@" in text:
            text = EMAIL_RE.sub(self._email, text)
        if _may_hold_number(text) and CANDIDATE_RE.search(text):  # most texts have no long number
            text = NUMBERS_RE.sub(self._number, text)
        text = self._names(text)
        if CJK_RE.search(text):
            text = CN_NAME_RE.sub(self._cn_name, text)
        return text

    def _names(self, text: str) -> str:
        """Names after greetings, in sign-offs and after "my name is", replaced by [name]."""
        first = TEXT_START_RE.match(text)
        starts = [m.start(1) for m in FIRST_WORD_SEGMENT_RE.finditer(text) if m.group(1).lower() in FIRST_WORDS]
        if first and first.group(1).lower() in FIRST_WORDS:
            starts.insert(0, first.start(1))
        out, last = [], 0
        for start in starts:
            if start < last:
                continue
            for pattern in (GREETING_AT, SIGN_OFF_AT):
                hit = pattern.match(text, start)
                if hit is None:
                    continue
                replaced = self._name(hit, strict=pattern is GREETING_AT and bool(hit.group("comma")))
                if replaced is not None:
                    out += [text[last:hit.start()], replaced]
                    last = hit.end()
                    break
        if out:
            text = "".join(out) + text[last:]
        if "name" in text or "Name" in text or "NAME" in text:
            text = INTRO_RE.sub(lambda m: self._name(m) or m.group(0), text)
        return text

    def _name(self, match: re.Match[str], strict: bool = False) -> str | None:
        """The match with its name replaced, or None when no leading word is a name. `strict`: the name must be
        followed by punctuation or the line end ("Hi, Often ..." is a greeting, then a sentence)."""
        name = match.group("name")
        count = _name_words(name)
        if not count:
            return None
        kept = re.match(r"\S+(?:[ \t]+\S+){%d}" % (count - 1), name).group(0).rstrip(".")  # not a full stop
        end = match.start("name") + len(kept)
        if strict and not AFTER_NAME_RE.match(match.string, end):
            return None
        whole, base = match.group(0), match.start()
        start = match.start("title") if match.group("title") else match.start("name")
        return whole[:start - base] + self._count("name") + whole[end - base:]

    def _cn_name(self, match: re.Match[str]) -> str:
        return (match.group("pre") or "") + self._count("name")

    def _count(self, kind: str) -> str:
        self.counts[kind] += 1
        self._kinds.append(kind)
        return PLACEHOLDERS[kind]

    def _user(self, match: re.Match[str]) -> str:
        return self._count("redacted") if match.group(0) else ""

    def _email(self, match: re.Match[str]) -> str:
        return self._count("email")

    def _number(self, match: re.Match[str]) -> str:
        first = int(match.lastgroup[1:]) if match.lastgroup else len(NUMBER_RULES)
        return self._from(match.group(0), first)

    def _from(self, text: str, first: int) -> str:
        kind, pattern, check = NUMBER_RULES[first]
        if check is None or check(text):
            return self._count(kind)
        for later in range(first + 1, len(NUMBER_RULES)):  # e.g. a Luhn-invalid 13-digit phone number
            m = NUMBER_RULES[later][1].fullmatch(text)
            if m:
                return self._from(text, later)
        return text
