"""A small KB and ticket set for the coverage and report tests (written here, no benchmark data)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from helpgen.config import Config, Support
from helpgen.kb.model import Article, KnowledgeBase
from helpgen.tickets.model import Reply, Ticket

# An article file with front matter, for tests that write a KB folder.
ARTICLE = """---
title: {title}
summary: {summary}
level: beginner
stage: using
questions:
{questions}
---

{body}
"""

ARTICLES = {
    "cards/track-your-card": ("Track your card delivery", "When your new card arrives and how to track it.",
                              ["Where is my new card?", "my card has not arrived yet", "how long does card delivery take"],
                              "Cards are posted within 2 days and arrive in 5 to 7 working days. Track the delivery in the app."),
    "cards/change-your-pin": ("Change your PIN", "Pick a new PIN at any cash machine or in the app.",
                              ["How do I change my PIN?", "can I pick a new pin number", "reset pin code"],
                              "You can change your PIN in the app under Card settings, or at most cash machines."),
    "top-up/top-up-by-card": ("Top up with a debit card", "Add money instantly with a debit card.",
                              ["how do I top up with my card", "add money using debit card", "top up by card"],
                              "Open the app, tap Add money, choose a debit card and the amount to top up."),
    "transfers/transfer-times": ("How long a transfer takes", "Bank transfers arrive within one working day.",
                                 ["how long does a transfer take", "when will my transfer arrive", "transfer timing"],
                                 "Transfers in the same currency arrive the same day; international ones take up to 3 days."),
    "exchange/exchange-rates": ("Exchange rates", "Which exchange rate we use when you exchange currency.",
                                ["what exchange rate do you use", "currency conversion rate", "exchange rate today"],
                                "We use the interbank exchange rate with a small markup at weekends."),
    "account/close-your-account": ("Close your account", "How to close your account and get your money out.",
                                   ["how do I close my account", "delete my account", "cancel my account"],
                                   "Move your money out, then go to Account and tap Close account."),
}
PHRASES = {
    "cards/track-your-card": ["my card still hasn't arrived", "where is my card, it has been a week",
                              "card delivery is taking too long", "when will my new card arrive",
                              "I am still waiting for my card to arrive", "can I track my card delivery",
                              "how long until my card arrives", "my new card has not come in the post"],
    "cards/change-your-pin": ["I want to change my PIN", "how can I change the pin on my card",
                              "can I choose a different PIN", "where do I change my card PIN",
                              "I need a new PIN number", "changing PIN at a cash machine",
                              "is it possible to change my pin in the app", "pin change please"],
    "top-up/top-up-by-card": ["how do I add money with my debit card", "can I top up using a card",
                              "top up my account with a card", "I want to top up by debit card",
                              "adding money by card", "which cards can I use to top up",
                              "top up with card not bank", "how to top up via card"],
    "transfers/transfer-times": ["how long will my transfer take", "my transfer is taking a long time",
                                 "when does a bank transfer arrive", "how many days for a transfer",
                                 "transfer still not arrived after a day", "how fast are transfers",
                                 "international transfer time", "how long do transfers take to arrive"],
    "exchange/exchange-rates": ["what rate do you use to exchange money", "is your exchange rate fair",
                                "which exchange rate applies", "how is the currency rate calculated",
                                "exchange rate for euros", "do you add a markup to the exchange rate",
                                "what is the conversion rate", "weekend exchange rate"],
    "account/close-your-account": ["I want to close my account", "how can I delete my account",
                                   "please cancel my account", "close account and withdraw money",
                                   "how to shut down my account", "I no longer want this account",
                                   "remove my account", "end my account"],
}
GAP = ["can I add my card to apple pay", "does apple pay work with your card", "apple pay is not supported?",
       "how do I set up apple pay", "is google pay or apple pay available", "add card to apple pay wallet",
       "apple pay setup for my card", "can I use apple pay in shops", "when will you support apple pay",
       "apple pay option missing", "using apple pay with this account", "apple pay on my iphone",
       "apple pay not available for my card", "how to pay with apple pay", "apple pay card setup help",
       "I want apple pay", "apple pay for my card please", "is apple pay coming"]
OFF_TOPIC = ["what is the weather in Paris tomorrow", "a good recipe for banana bread",
             "what is 17 times 23", "who won the football final last year",
             "how do I grow tomatoes at home", "the best season to visit Tokyo"]
SITE = "https://help.example.test/"
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


def make_kb(root: Path = Path("/nonexistent"), response_hours: float = 24.0) -> KnowledgeBase:
    arts = tuple(Article(id=aid, source=f"articles/{aid}.md", title=t, body=b, body_line=8, level="beginner",
                         stages=("using",), summary=s, questions=tuple(q))
                 for aid, (t, s, q, b) in sorted(ARTICLES.items()))
    config = Config(name="Test Help", site_url=SITE, support=Support(response_hours=response_hours))
    return KnowledgeBase(root=root, config=config, articles=arts)


def ticket(tid: str, text: str, n: int, *, reply: str | None = "Thanks, here is how.", hours: float = 3.0,
           link: str | None = None, channel: str = "email", status: str = "solved") -> Ticket:
    created = T0 + timedelta(hours=7 * n)
    replies = (Reply(reply, created + timedelta(hours=hours)),) if reply else ()
    return Ticket(tid, created, channel, "", text, replies, status, linked_articles=(link,) if link else ())


def history() -> list[Ticket]:
    """Documented phrasings (3 in 4 linked), the planted apple-pay gap answered by hand, off-topic unanswered."""
    out, n = [], 0
    for aid, phrases in sorted(PHRASES.items()):
        for i, p in enumerate(phrases):
            out.append(ticket(f"{aid}-{i}", p, n, link=aid if i % 4 else None))
            n += 1
    for i, p in enumerate(GAP):
        out.append(ticket(f"gap-{i}", p, n, reply="We do not support that yet, sorry."))
        n += 1
    for i, p in enumerate(OFF_TOPIC):
        out.append(ticket(f"ood-{i}", p, n, reply=None, status="open"))
        n += 1
    return out


def verdicts(result) -> dict[str, tuple[bool, str, int]]:
    """Ticket id -> (covered, article id, gap id) of an analyse() result."""
    r = result.rows
    return {tid: (bool(r.verdict[i]), r.article_ids[r.article[i]] if r.article[i] >= 0 else "", int(r.gap[i]))
            for i, tid in enumerate(r.ids)}
